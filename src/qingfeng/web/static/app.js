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
