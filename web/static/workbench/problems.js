// Deploy-check problems shown where they are: a marker and a message on the diagram element each concerns, and
// a list below the diagram whose entries select that element (or open the file it is in).
(function () {
  "use strict";
  var W = window.VangnetWorkbench = window.VangnetWorkbench || {};
  var MARKER = "vn-error", OVERLAY = "vn-problem";

  function Problems(modeler, file, editUrl) {
    this.modeler = modeler;
    this.file = file;
    this.editUrl = editUrl;
    this.marked = [];
  }

  Problems.prototype.clear = function () {
    var canvas = this.modeler.get("canvas");
    this.marked.forEach(function (id) { canvas.removeMarker(id, MARKER); });
    this.marked = [];
    this.modeler.get("overlays").remove({ type: OVERLAY });
    document.getElementById("problemen").textContent = "";
  };

  Problems.prototype.show = function (problems, summary) {
    this.clear();
    document.getElementById("controle-samenvatting").textContent = summary;
    var list = document.getElementById("problemen");
    var self = this;
    problems.forEach(function (problem) { list.appendChild(self.item(problem)); });
  };

  Problems.prototype.onDiagram = function (problem) {
    var registry = this.modeler.get("elementRegistry");
    return problem.file === this.file && problem.element_id ? registry.get(problem.element_id) : null;
  };

  Problems.prototype.item = function (problem) {
    var li = document.createElement("li");
    var where = problem.file + (problem.line ? ":" + problem.line : "") + (problem.element_id ? " [" + problem.element_id + "]" : "");
    var element = this.onDiagram(problem);
    if (element) {
      this.mark(element, problem.message);
      li.appendChild(this.button(where, element));
    } else if (problem.file && /\.bpmn$/.test(problem.file) && problem.file !== this.file) {
      var link = document.createElement("a");
      link.className = "utrecht-link";
      link.href = this.editUrl.replace("__NAME__", encodeURIComponent(problem.file));
      link.textContent = where;
      li.appendChild(link);
    } else {
      li.appendChild(document.createTextNode(where));
    }
    li.appendChild(document.createTextNode(": " + problem.message));
    li.className = "vn-wb-problem";
    return li;
  };

  Problems.prototype.button = function (label, element) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--subtle vn-wb-goto";
    button.textContent = label;
    var modeler = this.modeler;
    button.addEventListener("click", function () {
      modeler.get("canvas").scrollToElement(element);
      modeler.get("selection").select(element);
      document.getElementById("veld-naam").focus();
    });
    return button;
  };

  Problems.prototype.mark = function (element, message) {
    this.modeler.get("canvas").addMarker(element.id, MARKER);
    this.marked.push(element.id);
    var note = document.createElement("div");
    note.className = "vn-wb-overlay";
    note.setAttribute("role", "note");
    note.textContent = "⚠ " + message;
    var position = element.waypoints ? { top: 0, left: 0 } : { bottom: -6, left: 0 };
    this.modeler.get("overlays").add(element.id, OVERLAY, { position: position, html: note });
  };

  W.Problems = Problems;
})();
