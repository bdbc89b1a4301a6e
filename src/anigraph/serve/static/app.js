// Optional enhancement: suggestions as you type in every search box (pages work without it).
(function () {
  "use strict";
  const list = document.getElementById("site-suggest");
  if (!list || !window.fetch) return;
  let timer = null;
  let last = "";
  function update(value) {
    const q = value.trim();
    if (q.length < 2 || q === last) return;
    last = q;
    fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        list.replaceChildren();
        for (const hit of data.results || []) {
          const option = document.createElement("option");
          option.value = hit.title;  // textContent/value only: never HTML
          option.label = hit.type;
          list.appendChild(option);
        }
      })
      .catch(function () { /* suggestions are optional */ });
  }
  for (const input of document.querySelectorAll('input[list="site-suggest"]')) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { update(input.value); }, 150);
    });
  }
})();

// Optional enhancement: season filters apply as soon as a choice changes, and only the chosen
// ones go into the link (the form works without it: pick, then press Filter).
(function () {
  "use strict";
  for (const form of document.querySelectorAll("form.filters")) {
    form.addEventListener("submit", function () {
      for (const select of form.querySelectorAll("select")) {
        if (!select.value) select.disabled = true;  // disabled fields are not submitted
      }
    });
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", function () { form.requestSubmit(); });
    }
  }
})();
