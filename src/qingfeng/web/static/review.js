// The review queue at the speed of reading: j/k move, x selects, c/d/e decide (the selected items, or the
// current one). An escalation needs a note. Without JavaScript every form still works.
(() => {
  const bulk = document.getElementById("bulk");
  if (!bulk) return;
  const items = () => Array.from(document.querySelectorAll("#queue .review-item"));
  const picks = () => Array.from(document.querySelectorAll("#queue input.pick"));
  const count = document.getElementById("selected-count");
  const hint = document.getElementById("bulk-hint");
  const note = document.getElementById("bulk-note");
  let current = -1;

  const refresh = () => {
    const chosen = picks().filter((box) => box.checked);
    count.textContent = chosen.length;
    bulk.classList.toggle("has-selection", chosen.length > 0);
    items().forEach((item) => item.classList.toggle("selected", !!item.querySelector("input.pick:checked")));
  };
  const focus = (index) => {
    const all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => item.classList.toggle("current", i === current));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  };
  const needsNote = (form, field) => {
    if (field.value.trim()) return false;
    field.setAttribute("aria-invalid", "true");
    field.focus();
    hint.textContent = hint.dataset.needNote;
    return true;
  };
  hint.dataset.needNote = document.documentElement.lang === "en" ? "Escalating needs a note." : "上报须填写备注。";

  document.addEventListener("change", (event) => {
    if (event.target.id === "select-all") {
      picks().forEach((box) => (box.checked = event.target.checked));
    }
    refresh();
  });
  // Escalation without a note is refused here as on the server, for the bar and for each card.
  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || button.value !== "escalated") return;
    const field = event.target.querySelector("input[name=note]");
    if (field && needsNote(event.target, field)) event.preventDefault();
  }, true);
  document.addEventListener("htmx:confirm", (event) => {
    const form = event.detail.elt;
    const button = event.detail.triggerEvent && event.detail.triggerEvent.submitter;
    if (form.matches("form.decide") && button && button.value === "escalated") {
      const field = form.querySelector("input[name=note]");
      if (needsNote(form, field)) event.preventDefault();
    }
  });
  document.addEventListener("htmx:afterSwap", refresh);

  const press = (value) => {
    const chosen = picks().filter((box) => box.checked);
    if (chosen.length) {
      bulk.querySelector(`button[name=decision][value=${value}]`).click();
      return;
    }
    const item = items()[current];
    if (item) item.querySelector(`form.decide button[value=${value}]`)?.click();
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select")) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const keys = {
      j: () => focus(current + 1),
      k: () => focus(current - 1),
      x: () => {
        const box = items()[current]?.querySelector("input.pick");
        if (box) { box.checked = !box.checked; refresh(); }
      },
      c: () => press("confirmed"),
      d: () => press("dismissed"),
      e: () => {
        const chosen = picks().some((box) => box.checked);
        const field = chosen ? note : items()[current]?.querySelector("form.decide input[name=note]");
        if (field && !field.value.trim()) { needsNote(null, field); return; }
        press("escalated");
      },
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  refresh();
})();
