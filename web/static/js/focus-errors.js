// Moves keyboard and screen-reader focus to the error summary after a failed submit.
(function () {
  var summary = document.getElementById("foutoverzicht");
  if (summary) { summary.focus(); }
})();
