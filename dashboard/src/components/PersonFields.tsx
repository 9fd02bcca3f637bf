import { useI18n } from '../i18n/useI18n';
import { OFFERED_ID_TYPES } from './id-types';

/**
 * The inputs of a person's details that every form registering or correcting a person shares, named as the API
 * names them (each form puts its own label around them).
 */
export function BirthYearInput({ defaultValue }: { defaultValue?: number }) {
  return (
    <input
      name="birthYear"
      type="number"
      min={1900}
      max={new Date().getFullYear()}
      required
      defaultValue={defaultValue}
    />
  );
}

export function GenderSelect({ defaultValue = 'F' }: { defaultValue?: string }) {
  const { t } = useI18n();
  return (
    <select name="gender" defaultValue={defaultValue}>
      <option value="F">{t('gender.F')}</option>
      <option value="M">{t('gender.M')}</option>
      <option value="O">{t('gender.O')}</option>
    </select>
  );
}

/** The photo ID types a person can register with. */
export function IdTypeSelect({ defaultValue = '1' }: { defaultValue?: string }) {
  const { t } = useI18n();
  return (
    <select name="idType" defaultValue={defaultValue}>
      {OFFERED_ID_TYPES.map((id) => (
        <option key={id} value={id}>
          {t(`idType.${id}`)}
        </option>
      ))}
    </select>
  );
}
