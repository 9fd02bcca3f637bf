/** Today's date in India (UTC+5:30), as YYYY-MM-DD. */
export function todayInIndia(): string {
  return new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
}
