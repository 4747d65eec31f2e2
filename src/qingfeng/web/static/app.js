// Small progressive touches; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    button.textContent = "✓ " + button.textContent.replace(/^✓ /, "");
  });
});

// Phones: the menu folds behind one button (without JavaScript it simply wraps, every section shown).
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.menu-button");
  if (!button) return;
  const menu = document.getElementById(button.getAttribute("aria-controls"));
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  menu.classList.toggle("open", open);
});

// The self-check: a screenshot pasted or dropped anywhere on the page goes to the picture form.
(() => {
  const form = document.getElementById("picture-form");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const send = (files) => {
    const picture = [...files].find((file) => file.type.startsWith("image/"));
    if (!picture) return false;
    const chosen = new DataTransfer();
    chosen.items.add(picture);
    input.files = chosen.files;
    form.requestSubmit();
    return true;
  };
  input.addEventListener("change", () => form.requestSubmit());
  document.addEventListener("paste", (event) => {
    if (event.clipboardData && send(event.clipboardData.files)) event.preventDefault();
  });
  document.addEventListener("dragover", (event) => {
    if (event.dataTransfer && [...event.dataTransfer.items].some((item) => item.kind === "file")) {
      event.preventDefault();
      form.classList.add("dragging");
    }
  });
  document.addEventListener("dragleave", () => form.classList.remove("dragging"));
  document.addEventListener("drop", (event) => {
    form.classList.remove("dragging");
    if (event.dataTransfer && send(event.dataTransfer.files)) event.preventDefault();
  });
})();
