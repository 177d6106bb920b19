// The heatmap page: the version's diagram in bpmn-js's viewer; on every element that cases reached, a marker
// class for the colour (vn-heat-1 … vn-heat-5) and an overlay with the numbers in words, so the colour is never
// the only carrier. The numbers come from the page (data-heat), the diagram from the version file endpoint.
(function () {
  "use strict";
  var W = window.VangnetWorkbench = window.VangnetWorkbench || {};
  var container = document.getElementById("warmtekaart");
  if (!container || !window.BpmnJS) { return; }
  var data = container.dataset;
  var heat = JSON.parse(data.heat || "{}");

  function text(item) {
    var parts = [data.msgPassed.replace("__N__", item.passed)];
    if (item.open) { parts.push(data.msgOpen.replace("__N__", item.open)); }
    if (item.median) { parts.push(data.msgMedian.replace("__T__", item.median)); }
    return parts.join(" · ");
  }

  function decorate(viewer) {
    var registry = viewer.get("elementRegistry"), canvas = viewer.get("canvas"), overlays = viewer.get("overlays");
    Object.keys(heat).forEach(function (id) {
      var element = registry.get(id);
      if (!element || element.waypoints) { return; }
      canvas.addMarker(id, "vn-heat-" + heat[id].level);
      var badge = document.createElement("div");
      badge.className = "vn-wb-heat-badge";
      badge.textContent = text(heat[id]);
      overlays.add(id, "vangnet-heat", { position: { bottom: -4, left: 0 }, html: badge });
    });
  }

  function busiest(registry) {
    var ids = Object.keys(heat).filter(function (id) { return registry.get(id); });
    ids.sort(function (a, b) { return heat[b].level - heat[a].level; });
    return ids.length ? registry.get(ids[0]) : null;
  }

  function fitReadably(viewer) {  // a wide diagram fitted whole is unreadable: start at its busiest element
    var canvas = viewer.get("canvas");
    canvas.zoom("fit-viewport");
    if (canvas.zoom() >= 0.6) { return; }
    var element = busiest(viewer.get("elementRegistry"));
    canvas.zoom(0.8);
    if (element) { canvas.scrollToElement(element); }
  }

  fetch(data.src, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (file) {
      var viewer = new window.BpmnJS({ container: container });
      return viewer.importXML(file.text).then(function () {
        decorate(viewer);
        fitReadably(viewer);
        W.viewer = viewer;  // for the browser tests and the console
        container.dataset.ready = "true";
      });
    })
    .catch(function (error) {
      container.textContent = data.msgLoadError + " (" + error.message + ")";
      container.dataset.ready = "error";
    });
})();
