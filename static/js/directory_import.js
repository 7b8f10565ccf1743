// Directory import: show that the server is working (checking or importing can take a few seconds)
// and stop a second click from sending the file twice.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-busy-label]")) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.busy) {
        event.preventDefault();
        return;
      }
      form.dataset.busy = "1";
      const button = form.querySelector("input[type=submit], button[type=submit]");
      if (button) {
        button.value = form.dataset.busyLabel;
        button.setAttribute("aria-busy", "true");
        button.classList.add("is-busy");
      }
      const progress = form.querySelector("progress");
      if (progress) progress.hidden = false;
    });
  }
});
