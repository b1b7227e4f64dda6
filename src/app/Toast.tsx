import { useApp } from './store';

export function Toast() {
  const toast = useApp((s) => s.toast);
  return (
    <div className="toast-area" role="status" aria-live="polite">
      {toast ? (
        <div className="toast" key={toast.id} data-testid="toast">
          {toast.text}
        </div>
      ) : null}
    </div>
  );
}
