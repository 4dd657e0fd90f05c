// Small behaviours of every page, bound by data- attributes (the content security policy allows no
// inline scripts or event handlers, so templates declare what they want and this file does it).
(function () {
  "use strict";

  // <input data-select-on-click>: one click selects the whole value (an address to copy).
  document.addEventListener("click", function (event) {
    const input = event.target.closest("[data-select-on-click]");
    if (input) input.select();
  });

  // <button data-confirm="Question?">: ask before submitting; cancelling submits nothing.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // <form data-go-to="/base/" data-go-to-field="name">: go to base + the field's value instead of submitting.
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-go-to]");
    if (!form) return;
    const field = form.elements[form.dataset.goToField];
    if (!field || !field.value) return;
    event.preventDefault();
    window.location.assign(form.dataset.goTo + encodeURIComponent(field.value));
  });
})();
