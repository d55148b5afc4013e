"""Field descriptions that several schemas share, for their fields'
`metadata={"description": ...}`: one wording for one meaning. A field whose prose is its
own writes it in place; the OpenAPI document reads each from the field."""

BILLING_CYCLE = "How often it is invoiced."
CLIENT_EMAIL = "The customer's email; their invitation goes here. Trimmed and lower-cased."
CLIENT_NAME = "The customer: a company or a person."
DATA_CENTER = (
    "Where the customer's data lives: `us-south1` (USA) or `eu-west3` (EU); `dal`/`us` and `fra`/`eu`"
    " are accepted too."
)
DATE_FROM = "Created on or after this date (`YYYY-MM-DD` or a timestamp)."
DATE_TO = "Created on or before this date (`YYYY-MM-DD` or a timestamp)."
EARNED_FROM = "Commission earned on or after this moment (`YYYY-MM-DD` or a timestamp)."
EARNED_TO = "Commission earned on or before this moment (`YYYY-MM-DD` is the whole day)."
DRY_RUN = (
    "`true`: run every check of the create (schema, rules, an existing license for the email) and "
    "answer 200 with what would be created; nothing is stored or sent, and the Idempotency-Key is not"
    " used."
)
EMAIL = "The person's email address."
EVENTS = (
    "The events to send: `license.created`, `license.trial_expiring`, `license.expired`, "
    "`license.converted`, `operator.accepted`."
)
EXTRA_DISCOUNT_PERCENT = "Discount on top of the partner discount."
IDENTIFIER = "Your own reference for the customer, for example a CRM id."
LABEL = "A name that tells your tokens apart."
LEAD_ID = "A lead's id (a number, as a string)."
LIMIT = "How many licenses per page."
NEXT_CURSOR = "From the previous page's answer, to get the next page."
OPERATORS = "Additional users to invite (partner-managed LiveChat only)."
ORGANIZATION_NAME = "The customer's organization."
PAYMENT_ORIGIN = (
    "Who manages the subscription: `partner` (you pay, with a lifetime discount) or `client` (the "
    "customer pays, you earn a commission)."
)
PLAN = "The subscription plan."
PRODUCT = "`livechat` or `chatbot`."
PURCHASE_ORDER = "Your purchase order number."
ROLE = "`administrator` or `agent`."
SEATS = "Seats in the subscription."
TRIAL_DURATION = "Trial length in days."
URL = "Where deliveries are POSTed: https, on a public address."
