import { useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../auth/permissions';
import { staffLogin, useStaffSession } from '../auth/staff-session';
import { errorMessage } from '../format';
import { hrefForPath } from '../hooks/useHashPath';
import { homePathFor } from '../auth/home';

export function StaffLoginPage(_props: { params: unknown }) {
  const session = useStaffSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const signedIn = await staffLogin(username.trim(), password);
      window.location.hash = hrefForPath(homePathFor(signedIn.staff));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page narrow">
      <h1>Staff sign-in</h1>
      {session && (
        <p className="notice">
          Signed in as <strong>{session.staff.name}</strong> ({ROLE_LABELS[session.staff.role]}).{' '}
          <a href={hrefForPath(homePathFor(session.staff))}>Go to your screen</a>
        </p>
      )}
      <form className="form card" onSubmit={submit}>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error-detail" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        Vaccinators, district, state and national officers sign in here. People getting vaccinated use “Get vaccinated”.
      </p>
    </section>
  );
}
