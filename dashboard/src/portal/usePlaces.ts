import { useEffect, useState } from 'react';
import { errorText } from '../i18n/error-text';
import { fetchDistricts, fetchStates } from './api';

type State = { id: number; name: string; nameHi: string | null };
type District = { id: number; name: string };

/**
 * The states and the chosen state's districts, for a search by district: the states read once the search
 * needs them (`wanted`), the districts whenever the state changes (which clears the district chosen). `onError`
 * must be a state setter (it is not a dependency of the reads).
 */
export function usePlaces(wanted: boolean, onError: (text: string) => void) {
  const [states, setStates] = useState<State[]>([]);
  const [stateId, setStateId] = useState<number>();
  const [districts, setDistricts] = useState<District[]>([]);
  const [districtId, setDistrictId] = useState<number>();

  useEffect(() => {
    if (wanted && !states.length) void fetchStates().then(setStates, (e) => onError(errorText(e)));
  }, [wanted, states.length]);
  useEffect(() => {
    setDistricts([]);
    setDistrictId(undefined);
    if (stateId) void fetchDistricts(stateId).then(setDistricts, (e) => onError(errorText(e)));
  }, [stateId]);

  return { states, stateId, setStateId, districts, districtId, setDistrictId };
}
