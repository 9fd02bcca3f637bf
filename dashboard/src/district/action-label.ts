import type { useI18n } from '../i18n/useI18n';
import type { Intervention } from './api';

export type Translate = ReturnType<typeof useI18n>['t'];

/** An action's label; a closed session's only action is the doses wasted, reported late. */
export const actionLabel = (t: Translate, kind: Intervention['kind'], status?: string) =>
  kind === 'close' && status === 'CLOSED' ? t('district.action.reportWastage') : t(`district.action.${kind}`);
