/* Make the sidebar and "Contents" toggles open their drawers on phones and tablets.
 *
 * Upstream bug pydata/pydata-sphinx-theme#2451 (pydata-sphinx-theme 0.17.x, pinned to 0.17.1 by
 * sphinx-book-theme 1.3.0): the theme wires its drawer handlers to document.querySelector(".primary-toggle")
 * and (".secondary-toggle"), i.e. to the first such button, which in sphinx-book-theme is a hidden button in
 * the top navbar. The visible buttons in the article header get no handler and do nothing. Here every other
 * toggle forwards its click to the wired one, so the theme's own code (modal drawer below 992 px, collapse
 * at 992 px and over) does the rest. Delete this file once a release with the fix is pinned.
 */
document.addEventListener("DOMContentLoaded", () => {
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const [wired, ...others] = document.querySelectorAll(selector);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        wired.click();
      });
    }
  }
});

/* Name the sidebar's expand/collapse toggles. A chapter with sections (the province profiles under "The 63
 * provinces" and "The 34 units") gets a <details><summary> whose only content is a chevron icon, so a
 * screen reader announces nothing (axe-core: summary-name). Each is named after its chapter.
 */
document.addEventListener("DOMContentLoaded", () => {
  for (const summary of document.querySelectorAll(".bd-sidenav li > details > summary")) {
    const link = summary.parentElement.parentElement.querySelector(":scope > a");
    const name = link ? link.textContent.trim() : "this chapter";
    summary.setAttribute("aria-label", `Show or hide the pages under ${name}`);
  }
});
