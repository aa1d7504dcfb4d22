// The workbench's own script: the progress pushed by the server, and one click per form.
// Every page works without it: forms post, and the progress page refreshes itself.
"use strict";

function followProgress() {
  const box = document.getElementById("progress");
  if (!box || !window.EventSource) return;
  // Scripts run: the page is kept up to date by the stream, not by refreshing.
  for (const refresh of document.querySelectorAll("meta[http-equiv=refresh]")) refresh.remove();
  const bar = document.getElementById("bar");
  const source = new EventSource(box.dataset.events);
  source.onmessage = (message) => {
    const state = JSON.parse(message.data);
    bar.max = Math.max(state.total, 1);
    bar.value = state.done;
    bar.textContent = `${state.done} of ${state.total}`;
    for (const field of box.querySelectorAll("[data-field]")) {
      const name = field.dataset.field;
      if (name === "stopping") field.hidden = !state.stopping;
      else field.textContent = state[name];
    }
    if (state.finished) {
      source.close();
      window.location.assign(state.next);
    }
  };
}

function oneClickEach() {
  // A second click on a button that starts something sends nothing more.
  for (const button of document.querySelectorAll("button[data-once]")) {
    button.form.addEventListener("submit", () => {
      setTimeout(() => { button.disabled = true; }, 0);
    });
  }
}

function dropZone() {
  const input = document.getElementById("spreadsheet");
  if (!input) return;
  const zone = input.closest("form");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer.files.length) input.files = event.dataTransfer.files;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  followProgress();
  oneClickEach();
  dropZone();
});
