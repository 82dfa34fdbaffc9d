// After a route change, focus goes to the new page's main heading (screen readers read it;
// the next Tab starts in the page, not back at the top). The first page load keeps the
// browser's own focus, so the skip link stays the first stop. Pages load lazily and may
// show "Loading…" first: focus waits on <main> until the heading is there.
import { useEffect, useRef, type RefObject } from "react";

const GIVE_UP_MS = 10_000;

function idle(main: HTMLElement): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active === main;
}

function focusHeading(main: HTMLElement): boolean {
  const heading = main.querySelector<HTMLElement>("h1");
  if (!heading) return false;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  heading.focus();
  return true;
}

export function useRouteFocus(main: RefObject<HTMLElement | null>, pathname: string): void {
  const shown = useRef(pathname);
  useEffect(() => {
    const element = main.current;
    if (shown.current === pathname || !element) return;
    shown.current = pathname;
    if (focusHeading(element)) return;
    // Focus left on the link that was followed (or on nothing) waits on <main> meanwhile.
    element.focus();
    const observer = new MutationObserver(() => {
      // The person may have moved on by keyboard meanwhile: do not pull focus back.
      if (!idle(element)) observer.disconnect();
      else if (focusHeading(element)) observer.disconnect();
    });
    observer.observe(element, { childList: true, subtree: true });
    const timer = window.setTimeout(() => observer.disconnect(), GIVE_UP_MS);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [main, pathname]);
}
