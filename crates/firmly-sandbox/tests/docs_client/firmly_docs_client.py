#!/usr/bin/env python3
"""A Firmly API client written from the Firmly docs alone.

Every request follows a curl sample or a documented flow of the Firmly docs; `002:LINE` below
is a line of `002_599d5acdabf6b74d.txt`, the combined API reference (see README.md). Nothing
here comes from the sandbox's code or from Firmly Desk's client. The docs cannot describe the
outside world, so two stand-ins are used, and only these: the shopper's inbox
(`GET /__sandbox/otp?email=E`) and the shopper approving at PayPal (the approval URL the API
returns, which the sandbox serves as `/__sandbox/paypal/checkoutnow?token=T`).

The client is strict. It sends only the headers and body fields the docs show, sends
`Content-Type: application/json` only with a body, never follows a redirect, checks every
response field it relies on, and stops with exit status 1 at the first answer the docs do not
describe or the first step the server demands beyond them, naming the step, the HTTP status
and the body. It never retries.

    python3 firmly_docs_client.py --api http://127.0.0.1:PORT --flow card|paypal|saved-card|all

Each flow ends with a placed order and prints `order_number=<platform_order_number>`.
Dependencies: the standard library and the `cryptography` package (the v3 JWE).
"""

import argparse
import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

try:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError as missing:  # reported, not hidden
    sys.stderr.write(
        "firmly_docs_client: the `cryptography` package is missing (%s); "
        "install python3-cryptography\n" % missing
    )
    sys.exit(2)

TIMEOUT_S = 30
USER_AGENT = "firmly-docs-client/1"

# Test data the sandbox's README and CONTRACTS.md §3 give a tester.
APP_ID = "sandbox-app"
LUMA = "staging.luma.gift"
LUMA_VARIANT = "MH07-M-Black"
MEMBERS = "members.test"
MEMBERS_VARIANT = "MEM-TOTE-01"
MEMBER_EMAIL = "member@example.com"
WALLET = "shoppay"  # the wallet of the unlock samples (002:10545, 002:10697)

# Set Shipping Info, the sample payload (002:10097-10109).
SHIPPING_INFO = {
    "first_name": "John",
    "last_name": "Smith",
    "email": "john@firmly.ai",
    "phone": "(206) 555-0000",
    "address1": "123 Nice St",
    "city": "Newcastle",
    "postal_code": "98056",
    "state_or_province": "Washington",
    "country": "United States",
}

# Set Shipping Info, the payload parameters (002:10057-10068): nothing else is ever sent there.
SHIPPING_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address1",
    "address2",
    "city",
    "postal_code",
    "state_or_province",
    "country",
)

# Complete Order with Card v3, "To Build the Payload" step 1 (002:8547-8555), with the card
# the brief names (the docs' own sample number).
CARD = {
    "number": "4111111111111111",
    "name": "John Smith",
    "verification_value": "123",
    "month": "08",
    "year": "2030",
}

# Complete Order with Card v3, the sample billing_info (002:8560-8574) without `state_name`,
# which the Address schema calls return-only (002:12458).
BILLING_INFO = {
    "first_name": "John",
    "last_name": "Smith",
    "phone": "2065551212",
    "email": "john_smith@yopmail.com",
    "address1": "123 Nice St.",
    "address2": "",
    "city": "Newcastle",
    "state_or_province": "WA",
    "country": "United States",
    "postal_code": "98056",
}

# Each endpoint's "Expected Errors" table, so that a refusal says whether its id is at least
# one the endpoint lists. (A listed id can still stand for an undocumented demand: read the
# description.)
AUTH3 = ("MissingAuthHeader", "InvalidJWTToken", "InvalidToken")
CHK = (
    "MissingTaxSync",
    "NoLineItemError",
    "CheckoutError",
    "MissingShippingMethod",
    "MissingEmailAddressOnCheckout",
    "UserMustLogin",
    "MissingEmail",
    "CreditCardInsufficientFunds",
    "CreditCardDeclined",
    "CreditCardInvalidNumber",
    "CreditCardInvalidExpiry",
    "CreditCardInvalidSecurityCode",
)
DOCUMENTED_ERRORS = {
    "browser-session": ("InvalidAppId", "MissingAuthHeader", "MissingAppId"),  # 002:6976
    "add-line-item": AUTH3  # 002:44
    + ("ProductNotFound", "NoLineItemError", "NotEnoughStockError", "BadRequest")
    + ("CannotCreateCart", "PartnerNotFound", "InvalidInputBody"),
    "set-shipping-info": AUTH3  # 002:10076
    + ("ShippingNotNeeded", "CountryNotSupported", "InvalidState", "CartNotFound")
    + ("MultipleDiscountCodesNotSupported", "InvalidShippingInfo", "InvalidInputBody")
    + ("ErrorInvalidEmail",),
    "get-public-key": (),  # 002:9142 "None"
    "complete-order-v3": AUTH3 + CHK + ("StoreUnavailable",),  # 002:8731
    "paypal-start": AUTH3 + ("CartNotFound", "NoLineItemError"),  # 002:8044
    "paypal-authorize": AUTH3 + ("CartNotFound", "BadRequest"),  # 002:7646
    "paypal-complete-order": AUTH3 + CHK,  # 002:7854
    "create-otp": AUTH3,  # 002:9240
    "validate-otp": AUTH3 + ("InvalidInputBody", "InvalidOTP", "Unauthorized"),  # 002:9768
    "wallet-unlock-start": AUTH3  # 002:10670
    + ("Unauthorized", "PaymentMethodNotAvailable", "InvalidKey", "BadRequest")
    + ("WalletProviderNotFound", "WalletNotFound"),
    "wallet-unlock-complete": AUTH3  # 002:10520
    + ("Unauthorized", "PaymentMethodNotAvailable", "LoginFailed", "InvalidOtp")
    + ("WalletProviderNotFound",),
    "complete-order-with-saved-payment": AUTH3,  # 002:8951
}


class DocsDeviation(Exception):
    """The server answered something the docs do not describe, or demanded more than they do."""


def fail(step, message, status=None, body=None):
    lines = ["step %s: %s" % (step, message)]
    if status is not None:
        lines.append("HTTP status: %s" % status)
    if body is not None:
        text = body if isinstance(body, str) else json.dumps(body, indent=2, sort_keys=True)
        lines.append("body: %s" % text)
    raise DocsDeviation("\n".join(lines))


# --- transport ---------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: a 3xx reaches the caller as it is, so no credential travels."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect())


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body  # bytes

    def text(self):
        return self.body.decode("utf-8", errors="replace")


def send(step, method, url, headers, data=None):
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with OPENER.open(req, timeout=TIMEOUT_S) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:  # any non-2xx, including a redirect not followed
        return Response(e.code, e.headers, e.read() if e.fp is not None else b"")
    except (OSError, urllib.error.URLError) as e:
        fail(step, "%s %s: no HTTP answer (%s)" % (method, url, e))


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return (parts.scheme.lower(), parts.netloc.lower())


class Client:
    def __init__(self, api, vault, verbose):
        self.api = api.rstrip("/")
        self.vault = vault.rstrip("/")
        self.verbose = verbose
        self.token = None

    def log(self, message):
        if self.verbose:
            sys.stderr.write(message + "\n")

    def call(self, step, method, url, body=None, app_id=False, device=True):
        """A documented JSON call: `200` with a JSON body, else the step fails."""
        headers = {"User-Agent": USER_AGENT}
        if app_id:
            headers["x-firmly-app-id"] = APP_ID
        if device:
            if not self.token:
                fail(step, "no access token: Browser Session comes first (002:10803)")
            # Device Authentication: every curl sends the access token verbatim as
            # `x-firmly-authorization` (002:10827).
            headers["x-firmly-authorization"] = self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        self.log("-> %s: %s %s %s" % (step, method, url, "" if body is None else json.dumps(body)))
        r = send(step, method, url, headers, data)
        self.log("<- %s %s" % (r.status, r.text()[:600]))
        try:
            parsed = json.loads(r.body) if r.body else None
        except ValueError:
            parsed = None
        shown = parsed if parsed is not None else r.text()
        if r.status != 200:
            fail(step, "%s %s answered %s" % (method, url, refusal(step, r, parsed)), r.status, shown)
        content_type = (r.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            fail(step, "%s %s: Content-Type %r, documented application/json" % (method, url, content_type), r.status, shown)
        if parsed is None:
            fail(step, "%s %s: the body is not JSON" % (method, url), r.status, shown)
        return parsed

    # --- documented calls ----------------------------------------------------------------

    def browser_session(self):
        # Browser Session (002:6938): `POST /api/v1/browser-session` with `x-firmly-app-id`
        # (002:6968); "Json body is empty" (002:6988): the curl has no body and no
        # Content-Type (002:6992-6995).
        step = "browser-session"
        s = self.call(step, "POST", self.api + "/api/v1/browser-session", app_id=True, device=False)
        # Sample response (002:6999-7005).
        need(step, s, "device_created", bool)
        need(step, s, "access_token", str)
        need(step, s, "expires_in", int)
        need(step, s, "expires", int)
        need(step, s, "device_id", str)
        self.token = s["access_token"]
        return s

    def add_line_item(self, domain, sku):
        # Add Item to Cart (002:8): `POST /api/v1/domains/{d}/cart/line-items/{sku}/quantity/1`,
        # the curl sends only `x-firmly-authorization` (002:60-66); it creates the cart
        # (integration example 002:10832).
        step = "add-line-item"
        url = "%s/api/v1/domains/%s/cart/line-items/%s/quantity/1" % (self.api, seg(domain), seg(sku))
        cart = check_cart(step, self.call(step, "POST", url))
        items = [li for li in cart["line_items"] if isinstance(li, dict) and li.get("sku") == sku]
        if len(items) != 1 or items[0].get("quantity") != 1:
            fail(step, "the cart does not hold one line item of sku %s, quantity 1" % sku, 200, cart)
        return cart

    def set_shipping_info(self, domain, address):
        # Set Shipping Info (002:10028, curl 002:10112-10126). The answer is the Cart "with
        # shipping info included" (002:10074); the lowest cost method is selected (002:10032,
        # 002:10932) and the cart carries the `payment_handle` (002:11072-11076).
        step = "set-shipping-info"
        body = {k: address[k] for k in SHIPPING_FIELDS if k in address}
        url = "%s/api/v1/domains/%s/cart/shipping-info" % (self.api, seg(domain))
        cart = check_cart(step, self.call(step, "POST", url, body))
        need(step, cart, "shipping_info", dict)
        return cart

    def payment_key(self):
        # Get Public Key (002:9101): "requires no authentication"; the format defaults to JWK,
        # and the integration example's curl sends no query (002:11083-11087).
        step = "get-public-key"
        key = self.call(step, "GET", self.vault + "/api/v1/payment/key", device=False)
        for field in ("kid", "kty", "n", "e", "use"):  # the JWK table (002:9127-9133)
            need(step, key, field, str)
        if key["kty"] != "RSA" or key["use"] != "enc":
            fail(step, "not an RSA encryption key (kty RSA, use enc; 002:9130-9133)", 200, key)
        return key

    def complete_order_v3(self, handle, encrypted_card, billing_info):
        # Complete Order with Card v3 (002:8514, curl 002:8760-8782): `POST {vault}/api/v3/
        # payment/complete-order` {encrypted_card, billing_info, handle}; `captcha_token` is
        # optional (002:8723) and not sent.
        step = "complete-order-v3"
        body = {"encrypted_card": encrypted_card, "billing_info": billing_info, "handle": handle}
        return check_order(step, self.call(step, "POST", self.vault + "/api/v3/payment/complete-order", body))

    def paypal(self, domain, action, body=None):
        # Express Checkout: start (002:8017), authorize (002:7614), complete-order (002:7827).
        step = "paypal-" + action
        url = "%s/api/v1/domains/%s/express/paypal/%s" % (self.api, seg(domain), action)
        return self.call(step, "POST", url, body)

    def create_otp(self, domain, email):
        # Create OTP (002:9195, curl 002:9253-9259): {email}.
        step = "create-otp"
        url = "%s/api/v1/domains/%s/session/create-otp" % (self.api, seg(domain))
        answer = self.call(step, "POST", url, {"email": email})
        check_otp_destination(step, answer)
        return answer

    def validate_otp(self, domain, email, otp):
        # Validate OTP (002:9731, curl 002:9782-9789): {email, otp}; returns a Cart (002:9766).
        step = "validate-otp"
        url = "%s/api/v1/domains/%s/session/validate-otp" % (self.api, seg(domain))
        return check_cart(step, self.call(step, "POST", url, {"email": email, "otp": otp}))

    def unlock_start(self, wallet, email):
        # Start Unlocking Wallet (002:10628, curl 002:10697-10700): {email}; `hcaptcha_token`
        # "may be required for some wallets" (002:10658) and none is asked for. The answer:
        # {access_token, otp_destination} (002:10667-10668).
        step = "wallet-unlock-start"
        url = "%s/api/v1/wallets/%s/unlock-start" % (self.api, seg(wallet))
        answer = self.call(step, "POST", url, {"email": email})
        need(step, answer, "access_token", str)
        check_otp_destination(step, answer)
        return answer

    def unlock_complete(self, wallet, otp, access_token):
        # Complete Unlocking Wallet (002:10470): the sample body {otp, access_token}
        # (002:10535-10551); the answer lists access_token, payment_method_options and
        # shipping_info_options (002:10516-10518, sample 002:10558-10621).
        step = "wallet-unlock-complete"
        url = "%s/api/v1/wallets/%s/unlock-complete" % (self.api, seg(wallet))
        answer = self.call(step, "POST", url, {"otp": otp, "access_token": access_token})
        need(step, answer, "access_token", str)
        need(step, answer, "payment_method_options", list)
        need(step, answer, "shipping_info_options", list)
        return answer

    def complete_with_saved_payment(self, domain, payment_id):
        # Complete Order with Saved Payment (002:8902, curl 002:8970-8976): {payment_id}.
        step = "complete-order-with-saved-payment"
        url = "%s/api/v1/domains/%s/cart/complete-order-with-saved-payment" % (self.api, seg(domain))
        return check_order(step, self.call(step, "POST", url, {"payment_id": payment_id}))

    # --- the outside world (the sandbox's two stand-ins) ---------------------------------

    def read_inbox(self, email):
        """The shopper reading the one-time code the API sent to `email`."""
        step = "shopper-inbox"
        url = "%s/__sandbox/otp?email=%s" % (self.api, urllib.parse.quote(email, safe=""))
        return need(step, self.call(step, "GET", url, device=False), "otp", str)

    def approve_at_paypal(self, approval_url):
        """The shopper approving at PayPal as the app watches it (002:14431-14437: PayPal opens in
        an in-app browser, the app monitors the navigation, and when it leaves PayPal the
        browser closes). Open the approval URL, press `#paypal-approve`, follow the navigation
        only while it stays on PayPal's origin; the first target off PayPal is the return URL,
        which is read (token, PayerID) and never requested. No Firmly credential is sent."""
        step = "paypal-approval"
        paypal = origin(approval_url)
        page = send(step, "GET", approval_url, {"User-Agent": USER_AGENT})
        self.log("<- %s (approval page %s)" % (page.status, approval_url))
        if page.status != 200:
            fail(step, "GET %s (the approval URL the API gave)" % approval_url, page.status, page.text())
        finder = ApproveFinder()
        finder.feed(page.text())
        if finder.target is None:
            fail(step, "the approval page has no #paypal-approve control", page.status, page.text())
        method, action, fields = finder.target
        target = urllib.parse.urljoin(approval_url, action or approval_url)
        form = urllib.parse.urlencode(fields) if fields else None
        if method == "GET" and form:
            target += ("&" if urllib.parse.urlsplit(target).query else "?") + form
            form = None
        for _ in range(5):
            if origin(target) != paypal:
                self.log("-- left PayPal for %s (not requested)" % target)
                return target
            headers = {"User-Agent": USER_AGENT}
            data = None
            if form is not None:
                data = form.encode("ascii")
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            r = send(step, method, target, headers, data)
            location = r.headers.get("Location")
            if not 300 <= r.status < 400 or not location:
                fail(step, "%s %s at PayPal led nowhere back to the merchant" % (method, target), r.status, r.text())
            target, method, form = urllib.parse.urljoin(target, location), "GET", None
        fail(step, "PayPal kept redirecting without returning to the merchant (last %s)" % target)


def refusal(step, r, parsed):
    """Words for a non-200 answer: a redirect, a documented error id, or neither."""
    if 300 <= r.status < 400:
        return "a redirect to %s, which no page documents (not followed)" % r.headers.get("Location")
    envelope = isinstance(parsed, dict) and all(k in parsed for k in ("code", "error", "description"))
    if not envelope:
        return "an answer that is not the normalized error {code, error, description} (002:11937)"
    error_id = parsed["error"]
    if error_id in DOCUMENTED_ERRORS.get(step, ()):
        words = "%s, an error id this endpoint lists (its cause is in the description)" % error_id
    else:
        words = "%s, an error id this endpoint does NOT document" % error_id
    if "consent" in str(parsed.get("description", "")).lower():
        words += (
            "; no page makes signing a consent a step before completing an order (consents "
            "appear only on the Consent pages, 002:7038-7321) and the Get Consents sample shows "
            "the required `terms` consent already signed (002:7114-7124)"
        )
    return words


class ApproveFinder(HTMLParser):
    """Finds the `#paypal-approve` control: a link (href), a form, or a button inside a form."""

    def __init__(self):
        super().__init__()
        self.target = None  # (method, action, fields)
        self.form = None  # [method, action, fields] of the open form
        self.form_approves = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = [(a.get("method") or "GET").upper(), a.get("action") or "", []]
            self.form_approves = a.get("id") == "paypal-approve"
            return
        if self.form is not None and tag == "input" and a.get("name"):
            if (a.get("type") or "text").lower() in ("hidden", "text"):
                self.form[2].append((a["name"], a.get("value") or ""))
        if a.get("id") != "paypal-approve" or self.target is not None:
            return
        if a.get("href"):
            self.target = ("GET", a["href"], [])
        elif self.form is not None:
            self.form_approves = True
            if a.get("name"):
                self.form[2].append((a["name"], a.get("value") or ""))
            if a.get("formaction"):
                self.form[1] = a["formaction"]

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            if self.form_approves and self.target is None:
                self.target = (self.form[0], self.form[1], list(self.form[2]))
            self.form = None
            self.form_approves = False


# --- checks ------------------------------------------------------------------------------


def seg(value):
    return urllib.parse.quote(value, safe="")


def need(step, obj, field, kind):
    """`obj[field]` is present, not null, of the documented JSON type (and not an empty string)."""
    if not isinstance(obj, dict) or obj.get(field) is None:
        fail(step, "the documented field `%s` is missing" % field, 200, obj)
    value = obj[field]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        fail(step, "the documented field `%s` is not a %s" % (field, kind.__name__), 200, obj)
    if kind is str and not value:
        fail(step, "the documented field `%s` is empty" % field, 200, obj)
    return value


def check_cart(step, cart):
    """Cart (002:12497-12535): cart_id, line_items, platform_id and shop_id are not optional."""
    if not isinstance(cart, dict):
        fail(step, "a Cart (a JSON object) is documented", 200, cart)
    for field, kind in (("cart_id", str), ("platform_id", str), ("shop_id", str), ("line_items", list)):
        need(step, cart, field, kind)
    return cart


def check_order(step, order):
    """Order = Cart + platform_order_number (002:12768-12774); every Order sample is
    `cart_status: "submitted"` (002:7887, 002:9091)."""
    check_cart(step, order)
    number = need(step, order, "platform_order_number", str)
    if order.get("cart_status") != "submitted":
        fail(step, "cart_status is not \"submitted\" as in every Order sample", 200, order)
    return number


def check_otp_destination(step, answer):
    """OTP Destination Model {emails: string[], phones: string[]} (002:9233-9238); the values may
    be masked (the wallet sample's phone is, 002:10708-10710) but the code went somewhere."""
    destination = need(step, answer, "otp_destination", dict)
    sent = []
    for field in ("emails", "phones"):
        values = destination.get(field, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            fail(step, "otp_destination.%s is not a string[]" % field, 200, answer)
        sent += values
    if not sent:
        fail(step, "otp_destination names no email and no phone", 200, answer)


def cents(step, amount, where, cart):
    """Amount (002:12478-12486): `number` is the integer value in cents."""
    number = amount.get("number") if isinstance(amount, dict) else None
    if not isinstance(number, int) or isinstance(number, bool):
        fail(step, "%s is not an Amount with an integer `number`" % where, 200, cart)
    return number


def check_lowest_cost_method(step, cart):
    """Set Shipping Info selects the lowest cost method by itself (002:10032, 002:10932); the
    client keeps it and never calls Set Shipping Method."""
    options = need(step, cart, "shipping_method_options", list)
    if not options:
        fail(step, "no shipping_method_options once the shipping info is set", 200, cart)
    chosen = cart.get("shipping_method")
    # The Cart table types shipping_method as a string (002:12521); every sample shows a
    # ShippingMethod object {sku, description, price} (002:10171-10180). Read either.
    sku = chosen.get("sku") if isinstance(chosen, dict) else chosen
    if not isinstance(sku, str) or not sku:
        fail(step, "no shipping_method was selected automatically", 200, cart)
    prices = {}
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("sku"), str):
            fail(step, "a shipping_method_options entry is not a ShippingMethod (002:13090)", 200, cart)
        prices[option["sku"]] = cents(step, option.get("price"), "the price of %s" % option["sku"], cart)
    if sku not in prices:
        fail(step, "the selected shipping_method %s is not among the options" % sku, 200, cart)
    if prices[sku] != min(prices.values()):
        fail(step, "the automatically selected method %s is not the lowest cost one" % sku, 200, cart)
    return sku


def require_offer(step, cart, predicate, what):
    """Payment Methods Available for a Cart (002:12203-12249): pay only with a listed method."""
    options = cart.get("payment_method_options")
    if not isinstance(options, list) or not any(isinstance(o, dict) and predicate(o) for o in options):
        fail(step, "payment_method_options does not offer %s (a client offers only listed "
                   "methods, 002:12248)" % what, 200, cart)


def session_flags(cart):
    """SessionInfo (002:13066); when `session` is absent every flag is false (002:12139)."""
    session = cart.get("session")
    if not isinstance(session, dict):
        session = {}
    return {k: session.get(k) is True for k in ("requires_login", "is_email_registered", "is_logged_in")}


# --- JWE (compact serialization as Complete Order with Card v3 describes) ----------------


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encrypt_card_jwe(card, jwk):
    """Protected header {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": <the key's kid>}
    (002:8528-8540): RSA-OAEP with SHA-256 wraps a random 256-bit key, and AES-256-GCM
    encrypts the card JSON (002:8547-8555) with the encoded header as additional data, as the
    docs' `jose` / `jwcrypto` samples do (002:8606-8620, 002:8660-8676; RFC 7516)."""
    public_key = rsa.RSAPublicNumbers(
        int.from_bytes(b64url_decode(jwk["e"]), "big"),
        int.from_bytes(b64url_decode(jwk["n"]), "big"),
    ).public_key()
    header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": jwk["kid"]}
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    cek = os.urandom(32)
    iv = os.urandom(12)
    oaep = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    encrypted_key = public_key.encrypt(cek, oaep)
    plaintext = json.dumps(card).encode("utf-8")
    sealed = AESGCM(cek).encrypt(iv, plaintext, protected.encode("ascii"))
    ciphertext, tag = sealed[:-16], sealed[-16:]
    return ".".join([protected, b64url(encrypted_key), b64url(iv), b64url(ciphertext), b64url(tag)])


# --- flows -------------------------------------------------------------------------------


def flow_card(c):
    """F1, "Add an Item to Cart and Place the Order" (002:10787), completed with the
    recommended Complete Order with Card v3 (002:8514; recommended at 002:8911-8912)."""
    c.browser_session()  # step 1 (002:10803)
    c.add_line_item(LUMA, LUMA_VARIANT)  # step 2 (002:10831)
    cart = c.set_shipping_info(LUMA, SHIPPING_INFO)  # step 3 (002:10931)
    step = "set-shipping-info"
    check_lowest_cost_method(step, cart)
    require_offer(step, cart, lambda o: o.get("type") == "CreditCard", "a CreditCard")
    handle = need(step, cart, "payment_handle", str)
    key = c.payment_key()  # step 4 (002:11078)
    return c.complete_order_v3(handle, encrypt_card_jwe(CARD, key), BILLING_INFO)


def flow_paypal(c):
    """F5, express checkout with PayPal (002:8017, 002:7614, 002:7827; the PayPal workflow
    002:14403) on a cart whose checkout page shows its items and shipping info (002:14396)."""
    c.browser_session()
    c.add_line_item(LUMA, LUMA_VARIANT)
    cart = c.set_shipping_info(LUMA, SHIPPING_INFO)
    check_lowest_cost_method("set-shipping-info", cart)
    # "If a supported gateway is returned inside payment_method_options ... it is allowed to
    # use this API" (002:8019).
    require_offer("set-shipping-info", cart, lambda o: o.get("type") == "PayPal", "PayPal")

    step = "paypal-start"
    started = check_cart(step, c.paypal(LUMA, "start"))  # no body (002:8057-8061)
    payment = need(step, started, "payment_method", dict)
    # The start sample spells it `type`, the later ones `payment_type` (002:8150, 002:7816).
    if payment.get("type", payment.get("payment_type")) != "PayPal":
        fail(step, "payment_method is not PayPal's (002:8149-8158)", 200, started)
    attributes = need(step, payment, "attributes", dict)
    paypal_token = need(step, attributes, "paypal_token", str)
    approval_url = need(step, attributes, "url", str)
    redirect_url = need(step, attributes, "redirect_url", str)

    back = c.approve_at_paypal(approval_url)
    step = "paypal-approval"
    returned, expected = urllib.parse.urlsplit(back), urllib.parse.urlsplit(redirect_url)
    if origin(back) != origin(redirect_url) or returned.path != expected.path:
        fail(step, "PayPal returned the shopper to %s, not to the cart's redirect_url %s" % (back, redirect_url))
    query = urllib.parse.parse_qs(returned.query)
    if query.get("token") != [paypal_token]:
        fail(step, "the return URL %s does not carry token=%s" % (back, paypal_token))
    payer = query.get("PayerID", [])
    if len(payer) != 1 or not payer[0]:
        fail(step, "the return URL %s carries no PayerID" % back)

    step = "paypal-authorize"
    # {"attributes": {"payer_id": ...}} (002:7660-7668).
    authorized = check_cart(step, c.paypal(LUMA, "authorize", {"attributes": {"payer_id": payer[0]}}))
    payment = need(step, authorized, "payment_method", dict)
    attributes = need(step, payment, "attributes", dict)
    # "The payer_id property will be returned indicating that the order is ready to be
    # completed" (002:7820).
    if payment.get("payment_type", payment.get("type")) != "PayPal" or attributes.get("payer_id") != payer[0]:
        fail(step, "payment_method does not confirm payer_id %s (002:7805-7820)" % payer[0], 200, authorized)

    step = "paypal-complete-order"
    return check_order(step, c.paypal(LUMA, "complete-order"))  # no body (002:7877-7881)


def flow_saved_card(c):
    """F7, wallet unlock (002:10628, 002:10470) and a saved card, at a merchant that requires
    login (Login Required 002:12161): after Set Shipping Info the `session` says so, and the
    shopper logs in by OTP (F8: Create OTP 002:9195, Validate OTP 002:9731). Then Complete
    Order with Saved Payment (002:8902) with a card the API listed."""
    c.browser_session()
    c.add_line_item(MEMBERS, MEMBERS_VARIANT)

    # F7.1-2: unlock the shopper's wallet; the code arrives in the shopper's inbox.
    started = c.unlock_start(WALLET, MEMBER_EMAIL)
    unlocked = c.unlock_complete(WALLET, c.read_inbox(MEMBER_EMAIL), started["access_token"])
    step = "wallet-unlock-complete"
    # Saved cards carry an `id` (sample 002:10560-10575; "The saved cards are returned inside
    # payment_method_options", 002:8905).
    cards = [
        o
        for o in unlocked["payment_method_options"]
        if isinstance(o, dict) and o.get("type") == "CreditCard" and isinstance(o.get("id"), str) and o["id"]
    ]
    if not cards:
        fail(step, "payment_method_options lists no saved card with an `id`", 200, unlocked)
    card = cards[0]
    need(step, card, "wallet", str)  # PaymentMethodOption: `wallet` is not optional (002:12910)

    # F7.3: ship to an address the wallet listed, with the shopper's email (Set Shipping Info
    # needs one, 002:12143).
    addresses = [a for a in unlocked["shipping_info_options"] if isinstance(a, dict)]
    if not addresses:
        fail(step, "shipping_info_options lists no address", 200, unlocked)
    address = dict(addresses[0])
    for field in ("address1", "city", "postal_code", "state_or_province", "country"):  # 002:12442
        if not isinstance(address.get(field), str) or not address[field]:
            fail(step, "shipping_info_options[0] has no %s, a required Address field" % field, 200, unlocked)
    address["email"] = MEMBER_EMAIL
    cart = c.set_shipping_info(MEMBERS, address)
    step = "set-shipping-info"

    # Login Required (002:12187-12192): read `session` after Set Shipping Info.
    flags = session_flags(cart)
    if flags["requires_login"] and not flags["is_logged_in"]:
        if not flags["is_email_registered"]:
            fail(step, "login is required but %s is not a registered email" % MEMBER_EMAIL, 200, cart)
        c.create_otp(MEMBERS, MEMBER_EMAIL)
        cart = c.validate_otp(MEMBERS, MEMBER_EMAIL, c.read_inbox(MEMBER_EMAIL))
        step = "validate-otp"
        if not session_flags(cart)["is_logged_in"]:
            fail(step, "the cart's session is not logged in after a valid OTP", 200, cart)
        # Logged-in Customer: "the shipping information will always contain the customer's
        # account email" (002:12141).
        if need(step, cart, "shipping_info", dict).get("email") != MEMBER_EMAIL:
            fail(step, "shipping_info.email is not the account's email %s" % MEMBER_EMAIL, 200, cart)

    # Pay only with what the cart lists (002:12248): the saved card itself or its wallet.
    require_offer(
        step,
        cart,
        lambda o: o.get("id") == card["id"] or o.get("wallet") == card["wallet"],
        "saved card %s or its wallet %s" % (card["id"], card["wallet"]),
    )
    return c.complete_with_saved_payment(MEMBERS, card["id"])  # F7.4


FLOWS = {"card": flow_card, "paypal": flow_paypal, "saved-card": flow_saved_card}


def main(argv=None):
    parser = argparse.ArgumentParser(description="A Firmly API client written from the Firmly docs alone.")
    parser.add_argument("--api", required=True, help="base URL of {api} (and of {vault} unless --vault)")
    parser.add_argument("--vault", help="base URL of {vault} (default: --api)")
    parser.add_argument("--flow", required=True, choices=["card", "paypal", "saved-card", "all"])
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request and answer to stderr")
    args = parser.parse_args(argv)
    names = ["card", "paypal", "saved-card"] if args.flow == "all" else [args.flow]
    for name in names:
        client = Client(args.api, args.vault or args.api, args.verbose)
        try:
            number = FLOWS[name](client)
        except DocsDeviation as deviation:
            sys.stderr.write("firmly_docs_client: flow %s stopped\n%s\n" % (name, deviation))
            return 1
        print("flow=%s" % name)
        print("order_number=%s" % number)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
