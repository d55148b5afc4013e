// The tokens page: a "Copy token" button beside the secret shown once. Without script the
// button stays hidden and the secret is in a read-only field to select and copy by hand.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy-target]")) {
    const field = document.getElementById(button.dataset.copyTarget);
    const status = document.querySelector("[data-copy-status]");
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = "Copied to the clipboard.";
      } catch {
        field.select();
        if (status) status.textContent = "Select the token and copy it (Ctrl+C or ⌘C).";
      }
    });
  }
});
