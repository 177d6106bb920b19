// Our side panel for the selected BPMN element: name, documentation, the user task's form (spiffworkflow
// properties), a timer's expression and a sequence flow's condition. Changes go through bpmn-js's modeling
// commands, so they can be undone and are exported with the diagram.
(function () {
  "use strict";
  var W = window.VangnetWorkbench = window.VangnetWorkbench || {};
  var FORM = "formJsonSchemaFilename", UI_FORM = "formUiSchemaFilename";
  var TIMER_KINDS = ["timeDate", "timeDuration", "timeCycle"];

  function $(id) { return document.getElementById(id); }

  function extensionValues(bo, type) {
    var ext = bo.get("extensionElements");
    return ext ? ext.get("values").filter(function (v) { return v.$type === type; }) : [];
  }

  function property(bo, name) {
    var props = extensionValues(bo, "spiffworkflow:Properties")[0];
    var found = props ? props.get("values").filter(function (p) { return p.name === name; })[0] : null;
    return found ? found.value || "" : "";
  }

  function timerOf(bo) {
    var defs = (bo.get("eventDefinitions") || []).filter(function (d) { return d.$type === "bpmn:TimerEventDefinition"; });
    return defs[0] || null;
  }

  function isConditional(element) {
    var bo = element.businessObject;
    if (bo.$type !== "bpmn:SequenceFlow" || !bo.sourceRef) { return false; }
    var source = bo.sourceRef.$type;
    return source === "bpmn:ExclusiveGateway" || source === "bpmn:InclusiveGateway" || !!bo.conditionExpression;
  }

  function Panel(modeler) {
    this.modeler = modeler;
    this.modeling = modeler.get("modeling");
    this.moddle = modeler.get("moddle");
    this.element = null;
    var self = this;
    modeler.on("selection.changed", function (event) { self.show(event.newSelection.length === 1 ? event.newSelection[0] : null); });
    modeler.on("element.changed", function (event) { if (self.element && event.element === self.element) { self.show(self.element); } });
    $("eigenschappen").addEventListener("submit", function (event) { event.preventDefault(); self.apply(); });
  }

  Panel.prototype.show = function (element) {
    this.element = element && element.type !== "label" ? element : (element && element.labelTarget) || null;
    var form = $("eigenschappen");
    form.hidden = !this.element || this.element.type === "bpmn:Process";
    $("geen-selectie").hidden = !form.hidden;
    if (form.hidden) { return; }
    var bo = this.element.businessObject;
    $("element-soort").textContent = bo.$type.replace("bpmn:", "");
    $("element-id").textContent = bo.id;
    $("veld-naam").value = bo.name || "";
    var docs = bo.get("documentation") || [];
    $("veld-documentatie").value = docs.length ? docs[0].text || "" : "";
    this.showForm(bo);
    this.showTimer(bo);
    $("groep-voorwaarde").hidden = !isConditional(this.element);
    $("veld-voorwaarde").value = bo.conditionExpression ? bo.conditionExpression.body || "" : "";
  };

  Panel.prototype.showForm = function (bo) {
    $("groep-formulier").hidden = bo.$type !== "bpmn:UserTask";
    $("veld-formulier").value = property(bo, FORM);
    $("veld-uischema").value = property(bo, UI_FORM);
  };

  Panel.prototype.showTimer = function (bo) {
    var timer = bo.get && bo.$instanceOf("bpmn:Event") ? timerOf(bo) : null;
    $("groep-timer").hidden = !timer;
    if (!timer) { return; }
    var kind = TIMER_KINDS.filter(function (k) { return timer.get(k); })[0] || "timeDate";
    $("veld-timersoort").value = kind;
    $("veld-timer").value = timer.get(kind) ? timer.get(kind).body || "" : "";
  };

  Panel.prototype.apply = function () {
    var element = this.element;
    if (!element) { return; }
    var bo = element.businessObject;
    var name = $("veld-naam").value;
    if ((bo.name || "") !== name) { this.modeling.updateLabel(element, name); }
    this.applyDocumentation(element, $("veld-documentatie").value);
    if (bo.$type === "bpmn:UserTask") {
      this.setProperty(element, FORM, $("veld-formulier").value.trim());
      this.setProperty(element, UI_FORM, $("veld-uischema").value.trim());
    }
    if (timerOf(bo)) { this.applyTimer(element, $("veld-timersoort").value, $("veld-timer").value); }
    if (isConditional(element)) { this.applyCondition(element, $("veld-voorwaarde").value); }
    W.status(W.message("msgApplied").replace("__ID__", bo.id));
  };

  Panel.prototype.applyDocumentation = function (element, text) {
    var docs = element.businessObject.get("documentation") || [];
    var current = docs.length ? docs[0].text || "" : "";
    if (current === text) { return; }
    var value = text ? [this.moddle.create("bpmn:Documentation", { text: text })] : [];
    this.modeling.updateProperties(element, { documentation: value });
  };

  Panel.prototype.applyTimer = function (element, kind, body) {
    var timer = timerOf(element.businessObject);
    var current = timer.get(kind) ? timer.get(kind).body || "" : null;
    if (current === body) { return; }
    var changes = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
    changes[kind] = this.moddle.create("bpmn:FormalExpression", { body: body });
    this.modeling.updateModdleProperties(element, timer, changes);
  };

  Panel.prototype.applyCondition = function (element, body) {
    var bo = element.businessObject;
    var current = bo.conditionExpression ? bo.conditionExpression.body || "" : "";
    if (current === body) { return; }
    var expression = body ? this.moddle.create("bpmn:FormalExpression", { body: body }) : undefined;
    this.modeling.updateProperties(element, { conditionExpression: expression });
  };

  Panel.prototype.setProperty = function (element, name, value) {
    if (property(element.businessObject, name) === value) { return; }
    var props = this.propertiesOf(element);
    var list = props.get("values").filter(function (p) { return p.name !== name; });
    if (value) { list.push(this.moddle.create("spiffworkflow:Property", { name: name, value: value })); }
    this.modeling.updateModdleProperties(element, props, { values: list });
  };

  Panel.prototype.propertiesOf = function (element) {
    var bo = element.businessObject;
    var ext = bo.get("extensionElements");
    if (!ext) {
      ext = this.moddle.create("bpmn:ExtensionElements", { values: [] });
      this.modeling.updateProperties(element, { extensionElements: ext });
    }
    var props = extensionValues(bo, "spiffworkflow:Properties")[0];
    if (!props) {
      props = this.moddle.create("spiffworkflow:Properties", { values: [] });
      this.modeling.updateModdleProperties(element, ext, { values: ext.get("values").concat([props]) });
    }
    return props;
  };

  W.Panel = Panel;
})();
