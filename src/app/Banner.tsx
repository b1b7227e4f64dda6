/** Why a link could not be opened, one line per problem, with a way to dismiss it. */
import { formatProblem } from '../scenario/problem';
import { dismissBanner, useApp } from './store';

export function Banner() {
  const banner = useApp((s) => s.banner);
  const fatal = useApp((s) => s.fatal);
  return (
    <>
      {banner ? (
        <div className="banner banner-error" role="alert" data-testid="error-banner">
          <div className="banner-body">
            <strong>{banner.title}</strong>
            <ul>
              {banner.problems.map((p, i) => (
                <li key={i}>
                  <code>{formatProblem(p)}</code>
                </li>
              ))}
            </ul>
          </div>
          <button type="button" className="btn" onClick={dismissBanner} aria-label="Dismiss the error">
            Dismiss
          </button>
        </div>
      ) : null}
      {fatal ? (
        <div className="banner banner-error" role="alert" data-testid="fatal-banner">
          <div className="banner-body">
            <strong>{fatal}</strong>
          </div>
          <button type="button" className="btn" onClick={() => useApp.setState({ fatal: null })} aria-label="Dismiss the simulation error">
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  );
}
