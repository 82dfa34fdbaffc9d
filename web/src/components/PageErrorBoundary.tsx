// Around the lazily loaded pages: a page whose chunk fails to load (offline, or a deploy
// replaced the hashed files) or that throws while rendering shows what happened and a way
// out (try again, reload), never a blank screen. The rest of the app (header, menu) stays.
import { Component, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** The browsers' words for a dynamic import() that failed (Chromium, Firefox, Safari, Vite). */
const CHUNK_FAILURE = /dynamically imported module|Importing a module script failed|error loading dynamically imported|Unable to preload CSS/i;

export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "ChunkLoadError" || CHUNK_FAILURE.test(error.message);
}

function reloadPage(): void {
  window.location.reload();
}

function PageError({ error, onRetry, onReload }: { error: unknown; onRetry: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const chunk = isChunkLoadError(error);
  return (
    <div className="card page-error" data-testid="page-error">
      <h1>{t("pageError.title")}</h1>
      <div className="alert alert-error" role="alert">
        {t(chunk ? "pageError.chunkFailed" : "pageError.renderFailed")}
      </div>
      <div className="actions">
        {/* A chunk that failed once stays failed for this page load (import() caches it). */}
        {chunk ? null : (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            {t("common.retry")}
          </button>
        )}
        <button type="button" className={`btn ${chunk ? "btn-primary" : "btn-secondary"}`} onClick={onReload}>
          {t("pageError.reload")}
        </button>
        <a href="/">{t("pageError.home")}</a>
      </div>
    </div>
  );
}

interface Props {
  children: ReactNode;
  /** A new value (the route's path) leaves the error behind: another page is shown. */
  resetKey?: string;
  /** Reload the whole page (tests pass their own). */
  onReload?: () => void;
}

interface State {
  error: unknown; // React reports it to the console itself
  resetKey?: string;
}

// Reset by `resetKey` rather than remounted by a React key: the pages' Suspense boundary stays
// mounted, so a route change keeps the old page on screen until the next one is ready.
export class PageErrorBoundary extends Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error("unknown") };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  render() {
    if (this.state.error) {
      return (
        <PageError
          error={this.state.error}
          onRetry={() => this.setState({ error: null })}
          onReload={this.props.onReload ?? reloadPage}
        />
      );
    }
    return this.props.children;
  }
}
