/** Theme colours for canvas/SVG drawing: read `--vscode-*` variables and watch for theme changes. */

/** The computed value of a CSS custom property on <html>/<body>, or `fallback`. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim() || getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Calls `onChange` when VS Code switches theme (body class or <html> style changes). Returns a stop function. */
export function observeTheme(onChange: () => void): () => void {
  let pending = false;
  const fire = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  };
  const mo = new MutationObserver(fire);
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => mo.disconnect();
}
