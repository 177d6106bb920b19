// The decision-table page: loads one DMN file of the draft into dmn-js's modeler, opens its decision table,
// saves it with the draft revision it was based on (the same JSON endpoints as the BPMN modeler, so the same
// revision check) and runs the engine's deploy checks on the whole draft. No inline scripts: data attributes.
(function () {
  "use strict";
  var W = window.VangnetWorkbench = window.VangnetWorkbench || {};
  var container = document.getElementById("tabel");
  if (!container || !window.DmnJS) { return; }
  var data = container.dataset;
  var state = { revision: null, dirty: false, editor: null };

  function status(text) { document.getElementById("status").textContent = text; }

  function request(url, body) {
    return fetch(url, {
      method: body === undefined ? "GET" : "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
        return { status: response.status, body: { message: "HTTP " + response.status, problems: [] } };
      }
      return response.json().then(function (json) { return { status: response.status, body: json }; });
    });
  }

  function setRevision(revision) {
    state.revision = revision;
    document.getElementById("revisie").textContent = revision;
  }

  function showConflict(message, xml) {
    document.getElementById("conflict-tekst").textContent = message;
    document.getElementById("conflict-download").href = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
    document.getElementById("conflict").hidden = false;
  }

  function save() {
    return state.editor.saveXML({ format: true }).then(function (result) {
      return request(data.save, { revision: state.revision, text: result.xml }).then(function (answer) {
        if (answer.status === 200) {
          setRevision(answer.body.revision);
          state.dirty = false;
          status(answer.body.message);
          container.dataset.saved = String(answer.body.revision);
          return true;
        }
        if (answer.status === 409) { showConflict(answer.body.message, result.xml); }
        status(answer.status === 409 ? data.msgNotSaved : answer.body.message);
        showProblems(answer.body.problems || []);
        return false;
      });
    });
  }

  function showProblems(problems) {
    var list = document.getElementById("problemen");
    list.textContent = "";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var where = p.file === data.file ? p.file : p.file + " (" + data.msgOtherFile + ")";
      item.textContent = where + (p.line ? ":" + p.line : "") + (p.element_id ? " [" + p.element_id + "]" : "") +
        ": " + p.message;
      if (p.file === data.file) { item.className = "vn-wb-problem--here"; }
      list.appendChild(item);
    });
  }

  function check() {
    return (state.dirty ? save() : Promise.resolve(true)).then(function (saved) {
      if (!saved) { return; }
      status(data.msgChecking);
      return request(data.check, {}).then(function (answer) {
        showProblems(answer.body.problems);
        document.getElementById("controle-samenvatting").textContent = answer.body.message;
        status(answer.body.message);
        container.dataset.checked = String(answer.body.problems.length);
      });
    });
  }

  function watchChanges() {
    var viewer = state.editor.getActiveViewer();
    if (!viewer || viewer.__vangnetWatched) { return; }
    viewer.__vangnetWatched = true;
    viewer.get("eventBus").on("commandStack.changed", function () {
      state.dirty = true;
      status(data.msgDirty);
    });
  }

  function openTable() {
    var views = state.editor.getViews().filter(function (v) { return v.type === "decisionTable"; });
    return views.length ? state.editor.open(views[0]) : Promise.resolve();
  }

  function start(file) {
    // Our cells are Python, not FEEL (SpiffWorkflow): with Python as the only language dmn-js edits cells as
    // plain text instead of in its FEEL editor (CodeMirror), whose <style> tags the CSP would refuse.
    state.editor = new window.DmnJS({
      container: container,
      common: { expressionLanguages: { options: [{ value: "python", label: "Python" }], defaults: { editor: "python" } } }
    });
    state.editor.on("views.changed", watchChanges);
    setRevision(file.revision);
    return state.editor.importXML(file.text).then(openTable).then(function () {
      watchChanges();
      document.getElementById("opslaan").addEventListener("click", save);
      document.getElementById("controleren").addEventListener("click", check);
      window.addEventListener("beforeunload", function (event) { if (state.dirty) { event.preventDefault(); } });
      W.dmn = state.editor;  // for the browser tests and the console
      container.dataset.ready = "true";
    });
  }

  request(data.src).then(function (answer) { return start(answer.body); }).catch(function (error) {
    status(data.msgLoadError + " (" + error.message + ")");
    container.dataset.ready = "error";
  });
})();
