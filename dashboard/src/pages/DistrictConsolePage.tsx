import { picksDistrict } from '../auth/permissions';
import { useStaffSession } from '../auth/staff-session';
import { DistrictConsole } from '../district/DistrictConsole';
import { DistrictPicker } from '../district/DistrictPicker';
import type { RouteParams } from '../routes';

export function DistrictConsolePage({ params }: { params: RouteParams }) {
  const session = useStaffSession();
  const staff = session?.staff;
  const districtId = Number(params.districtId) || staff?.districtId || undefined;

  if (!staff) return null;
  if (!districtId) return <DistrictPicker stateId={staff.stateId ?? undefined} />;
  return (
    <DistrictConsole key={districtId} districtId={districtId} token={session.token} canPick={picksDistrict(staff)} />
  );
}
