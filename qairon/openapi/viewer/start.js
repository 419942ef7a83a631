// Render the server's own description; no request leaves this server.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "../openapi.json",
    dom_id: "#api-docs",
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    docExpansion: "none",
    defaultModelsExpandDepth: 0
  });
});
