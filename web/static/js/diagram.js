// Draws the case's BPMN diagram with bpmn-js (NavigatedViewer), highlights the open tasks and marks the path
// taken. Data comes from data-* attributes on #diagram: no inline script, so the CSP can forbid them.
(function () {
  "use strict";
  var container = document.getElementById("diagram");
  if (!container || !window.BpmnJS) { return; }
  var current = JSON.parse(container.dataset.current || "[]");
  var path = JSON.parse(container.dataset.path || "[]");
  var viewer = new window.BpmnJS({ container: container });

  function mark(canvas, registry, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  fetch(container.dataset.src, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      canvas.zoom("fit-viewport");
      mark(canvas, registry, path, "vn-path");
      mark(canvas, registry, current, "vn-current");
      var first = current.map(function (id) { return registry.get(id); }).filter(Boolean)[0];
      if (first) {  // a large diagram fitted whole is unreadable: zoom in around the current task
        canvas.zoom(0.9);
        canvas.scrollToElement(first);
      }
      container.dataset.ready = "true";
    })
    .catch(function (error) {
      container.textContent = "Het diagram kon niet worden geladen (" + error.message + ").";
      container.dataset.ready = "error";
    });
})();
