import { isOfferedIdType } from '../../../domain/id-types';

export { OFFERED_ID_TYPES } from '../../../domain/id-types';

/** A photo-ID type as the screens name it: an offered type by its name in common.json's idType, any other by number. */
export function idTypeName(t: (key: string) => string, idType: number): string {
  return isOfferedIdType(idType) ? t(`idType.${idType}`) : `#${idType}`;
}
