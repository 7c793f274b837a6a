/**
 * The browser half of a WebAuthn ceremony, served same-origin so the pages' CSP stays
 * `script-src 'nonce-…'` (the <script src> carries the nonce). It reveals the passkey forms where
 * WebAuthn exists, turns the server's JSON options into the ArrayBuffers the API takes, and posts
 * the credential back as JSON in the form's `response` field: an ordinary form post, CSRF token
 * and all. Plain ES2017, no dependencies.
 */
export const PASSKEY_SCRIPT = `'use strict';
(function () {
  function toBuffer(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    var binary = atob(base64 + '===='.slice(0, (4 - (base64.length % 4)) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }
  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function withIds(list) {
    return (list || []).map(function (entry) { return Object.assign({}, entry, { id: toBuffer(entry.id) }); });
  }
  function creation(options) {
    return Object.assign({}, options, {
      challenge: toBuffer(options.challenge),
      user: Object.assign({}, options.user, { id: toBuffer(options.user.id) }),
      excludeCredentials: withIds(options.excludeCredentials)
    });
  }
  function request(options) {
    return Object.assign({}, options, { challenge: toBuffer(options.challenge), allowCredentials: withIds(options.allowCredentials) });
  }
  function toJson(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = typeof response.getTransports === 'function' ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      if (response.userHandle) json.response.userHandle = toText(response.userHandle);
    }
    return json;
  }
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  var forms = document.querySelectorAll('form[data-passkey]');
  Array.prototype.forEach.call(forms, function (form) {
    if (form.getAttribute('data-bound') === '1') return;
    form.setAttribute('data-bound', '1');
    form.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll('[data-passkey-divider]'), function (node) { node.hidden = false; });
    var failure = form.nextElementSibling && form.nextElementSibling.hasAttribute('data-passkey-error') ? form.nextElementSibling : null;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (failure) failure.hidden = true;
      var options = JSON.parse(form.getAttribute('data-options'));
      var ceremony = form.getAttribute('data-passkey') === 'register'
        ? navigator.credentials.create({ publicKey: creation(options) })
        : navigator.credentials.get({ publicKey: request(options) });
      ceremony.then(function (credential) {
        form.elements.namedItem('response').value = JSON.stringify(toJson(credential));
        form.submit();
      }, function () {
        if (failure) failure.hidden = false;
      });
    });
  });
})();
`;
