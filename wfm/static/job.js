// Polls a job's state and moves the progress bar; goes to the result when the job is done.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const url = box.dataset.stateUrl;
  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return setTimeout(poll, 3000);
      const state = await response.json();
      document.getElementById("job-progress").value = state.progress;
      document.getElementById("job-percent").textContent = state.percent;
      document.getElementById("job-status").textContent = state.status_text;
      document.getElementById("job-message").textContent = state.message;
      if (state.finished) {
        if (state.status === "done" && state.url) { window.location.assign(state.url); return; }
        window.location.reload();
        return;
      }
    } catch (e) { /* network hiccup: try again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 700);
})();
