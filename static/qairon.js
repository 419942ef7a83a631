// Live hints for the global search box: the page works without this script.
(function () {
  var box = document.getElementById("global-search");
  var list = document.getElementById("global-search-hints");
  if (!box || !list || !window.fetch) { return; }
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var text = box.value.trim();
    if (text.length < 2) { return; }
    timer = setTimeout(function () {
      fetch(box.form.action + "?format=json&q=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (answer) { return answer.ok ? answer.json() : {results: []}; })
        .then(function (found) {
          list.innerHTML = "";
          found.results.forEach(function (hit) {
            var option = document.createElement("option");
            option.value = hit.id;
            option.label = hit.resource;
            list.appendChild(option);
          });
        });
    }, 150);
  });
})();
