// The theme's buttons, wired without inline handlers (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  const actions = {
    fullscreen: () => window.toggleFullScreen && window.toggleFullScreen(),
    print: () => window.print(),
  };
  document.querySelectorAll("[data-rf-click]").forEach((button) => {
    const action = actions[button.dataset.rfClick];
    if (action) button.addEventListener("click", action);
  });
});
