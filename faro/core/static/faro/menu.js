/* Browsers without ::details-content: open the menu on wide screens. Loaded right after the menu (not
   deferred), so it runs before the first paint, as the inline script it replaces did; a file, so the
   Content-Security-Policy can refuse every inline script. */
if (!(window.CSS && CSS.supports("selector(::details-content)")) && matchMedia("(min-width: 62rem)").matches) {
  document.getElementById("site-menu").open = true;
}
