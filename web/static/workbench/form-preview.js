// The form editor's preview follows the typing: a moment after the last key, the texts are posted to the same
// preview endpoint the "Voorbeeld" button uses, and the preview and the problems are taken from the page that
// comes back (drawn server-side with the task page's macros). Without JavaScript the button does the same.
(function () {
  "use strict";
  var form = document.getElementById("formulier-bewerken");
  var button = document.getElementById("voorbeeld-knop");
  if (!form || !button || !window.fetch || !window.DOMParser) { return; }
  var url = button.getAttribute("formaction");
  var pending = null, sent = 0;

  function swap(html, number) {
    if (number !== sent) { return; }  // an older answer arriving late
    var page = new DOMParser().parseFromString(html, "text/html");
    ["voorbeeld", "formulier-meldingen"].forEach(function (id) {
      var fresh = page.getElementById(id), current = document.getElementById(id);
      if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
    });
    form.dataset.previewed = String(number);
  }

  function refresh() {
    var number = ++sent;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { swap(html, number); });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 500);
  });
})();
