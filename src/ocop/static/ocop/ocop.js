/* ocop's own behaviour: the place picker, and confirmation of dangerous buttons. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-area-choice]");
    if (choice) {
      var picker = choice.closest("[data-area-picker]");
      picker.querySelector("[data-area-value]").value = choice.getAttribute("data-area-choice");
      picker.querySelector("[data-area-text]").value = choice.getAttribute("data-area-label");
      picker.querySelector(".area-picker-results").innerHTML = "";
      return;
    }
    var clear = event.target.closest("[data-area-clear]");
    if (clear) {
      var p = clear.closest("[data-area-picker]");
      p.querySelector("[data-area-value]").value = "";
      p.querySelector("[data-area-text]").value = "";
      p.querySelector(".area-picker-results").innerHTML = "";
      return;
    }
    var confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
