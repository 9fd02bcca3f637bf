/** The desk's screens; which a member sees depends on the steps their team role takes. */
export type DeskTab = 'list' | 'door' | 'vaccinate' | 'record' | 'walk-in' | 'observe' | 'queue';

/** The tabs a member's steps call for, in the order of a visit. */
export function tabsFor(steps: readonly string[]): DeskTab[] {
  const verify = steps.includes('VERIFY');
  const vaccinate = steps.includes('VACCINATE');
  const tabs: DeskTab[] = [];
  if (verify && vaccinate) tabs.push('list', 'record');
  else if (verify) tabs.push('door');
  else if (vaccinate) tabs.push('vaccinate', 'record');
  if (verify) tabs.push('walk-in');
  if (steps.includes('OBSERVE')) tabs.push('observe');
  tabs.push('queue');
  return tabs;
}
