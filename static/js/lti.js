// The deep-linking response goes back to the platform by itself (a plain button without JS).
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());
