### English messages for Sen.
### This file and ../vi/main.ftl must keep exactly the same keys
### (and use the same arguments); a test in sen-i18n checks this.

## Errors returned by the API and shown in the web interface

error-sign-in-required = You must sign in (send an API token) to do this.
error-internal = An unexpected error happened on the server. It has been logged.
error-validation = The input is not valid.
error-duplicate = That name or value is already in use.
error-reference = The object refers to something that does not exist.
error-forbidden = You are not allowed to do this.
error-not-allowed-action = You are not allowed to { $action }.
error-not-found = { $what } not found.
error-dataset-not-found = Dataset not found.
error-resource-not-found = Resource not found.
error-organization-not-found = Organisation not found.
error-group-not-found = Topic not found.
error-user-not-found = User not found.
error-tag-not-found = Tag not found.
error-token-not-found = API token not found.
error-file-not-found = File not found.
error-unknown-action = Unknown action “{ $action }”.
error-bad-json = The request body is not valid JSON: { $detail }
error-bad-form = The form data could not be read: { $detail }
error-body-not-object = The request body must be a JSON object.
error-method-not-allowed = This action accepts only POST.
error-too-large = The file is larger than the limit of { $limit }.
error-upload-interrupted = The upload was interrupted before it finished.
error-range-not-satisfiable = The requested byte range is outside the file.
error-search-query = The search query is not valid: { $detail }

## Problems with a single field of a form or JSON object

field-missing = Missing value
field-empty = Must not be empty
field-not-string = Must be a string
field-not-list = Must be a list
field-not-object = Must be an object
field-not-boolean = Must be true or false
field-not-integer = Must be a whole number
field-integer-range = Must be between { $min } and { $max }
field-name-too-short = Must be at least { $min } { $min ->
        [one] character
       *[other] characters
    } long
field-name-too-long = Must be at most { $max } { $max ->
        [one] character
       *[other] characters
    } long
field-name-characters = Must be purely lowercase alphanumeric (ASCII) characters and these symbols: -_
field-name-taken = That URL is already in use
field-unknown-license = Unknown licence “{ $value }”
field-unknown-organization = Organisation “{ $value }” does not exist
field-unknown-group = Topic “{ $value }” does not exist
field-unknown-user = User “{ $value }” does not exist
field-unknown-package = Dataset “{ $value }” does not exist
field-bad-choice = “{ $value }” is not one of: { $choices }
field-bad-date = “{ $value }” is not a date (YYYY-MM-DD)
field-bad-email = “{ $value }” is not an e-mail address
field-bad-url = “{ $value }” is not a web address (http or https)
field-open-not-allowed = Important or core data can never be open data (Law on Data No. 60/2024/QH15)
field-private-conflict = “private” must be true for shared or internal data and false for open data
field-not-member = You are not a member of organisation “{ $value }” with the right to publish
field-tag-length = Tags must be between { $min } and { $max } characters long
field-tag-characters = Tag “{ $value }” may contain only letters, digits, spaces and - _ .
field-password-short = The password must be at least { $min } { $min ->
        [one] character
       *[other] characters
    } long
field-url-or-upload = Please give either a URL or an uploaded file
field-parent-cycle = An organisation cannot be its own ancestor
field-successor-self = An organisation cannot succeed itself
field-capacity = Role must be admin, editor or member
field-expires = Expiry must be a date and time in the future
error-invalid-token = The API token is not valid, has been revoked or has expired.
error-rate-limited = Too many changes in a short time; please try again in a few minutes.
field-duplicate-extra = The extra field “{ $value }” has the name of a schema field
field-org-has-datasets = The organisation cannot be deleted while it still has { $count } datasets
field-unknown-resource = Resource “{ $value }” does not belong to this dataset
error-action-not-found = There is no such API action.

## Web pages
ui-skip-to-content = Skip to main content
ui-nav-label = Main navigation
ui-nav-datasets = Datasets
ui-nav-organizations = Organisations
ui-nav-topics = Topics
ui-nav-api = API
ui-switch-language = Tiếng Việt
ui-footer-about = { $site } — open data from state agencies, free to find, preview and download.
ui-home-title = Vietnam's open data, in one place
ui-home-lead = Find, preview and download data published by ministries, agencies and provinces. Accents are optional when you search.
ui-search-label = Search datasets
ui-search-placeholder = For example: population hanoi, administrative units…
ui-search-button = Search
ui-stat-datasets = datasets
ui-stat-organizations = organisations
ui-stat-topics = topics
ui-topics = Topics
ui-newest-datasets = Recently updated
ui-all-datasets = All datasets
ui-publishers = Publishers
ui-all-organizations = All organisations
ui-n-datasets = { $count ->
    [one] { $count } dataset
   *[other] { $count } datasets
}
ui-updated-on = Updated { $date }
ui-formats = Formats
ui-filters = Filters
ui-facet-organization = Publisher
ui-facet-groups = Topics
ui-facet-tags = Keywords
ui-facet-res-format = Formats
ui-facet-license-id = Licences
ui-results-count = { $count ->
    [one] { $count } dataset found
   *[other] { $count } datasets found
}
ui-sort-by = Sort by
ui-sort-relevance = Relevance
ui-sort-modified = Last updated
ui-sort-title = Name (A–Z)
ui-apply = Apply
ui-remove-filter = Remove filter { $value }
ui-no-results = No datasets found. Try other words or fewer filters.
ui-pages = Result pages
ui-previous = Previous
ui-next = Next
ui-page-of = Page { $page } of { $pages }
ui-breadcrumb = Breadcrumb
ui-merged-into = { $old } was merged into
ui-until = until { $date }
ui-merged-units = Merged units
ui-units = Units
ui-organizations-lead = { $count } organisations publish data on the portal.
ui-resources = Data and resources
ui-unnamed-resource = Unnamed resource
ui-download = Download
ui-open-link = Open link
ui-no-resources = This dataset has no resources yet.
ui-about-dataset = About this dataset
ui-field-publisher = Publisher
ui-field-license = Licence
ui-field-access = Access level
ui-field-frequency = Update frequency
ui-field-temporal = Time covered
ui-field-spatial = Area covered
ui-field-maintainer = Maintained by
ui-field-version = Version
ui-field-created = Created
ui-field-modified = Last updated
ui-field-tags = Keywords
ui-field-topics = Topics
ui-not-specified = Not specified
ui-access-open = Open data
ui-access-shared = Shared between agencies
ui-access-internal = Internal to the agency
ui-frequency-annual = Annual
ui-frequency-semiannual = Every six months
ui-frequency-quarterly = Quarterly
ui-frequency-monthly = Monthly
ui-frequency-weekly = Weekly
ui-frequency-daily = Daily
ui-frequency-irregular = Irregular
ui-frequency-never = Not updated
ui-api-panel = Use it through the API
ui-api-explain = Get this dataset's metadata through the CKAN API or the REST API:
ui-activity = History
ui-activity-new-package = Dataset created
ui-activity-changed-package = Dataset updated
ui-activity-deleted-package = Dataset deleted
ui-error-404-title = Page not found
ui-error-404-text = The page you are looking for does not exist, or you may not see it.
ui-error-500-title = Something went wrong
ui-error-500-text = The server could not handle the request. The error was logged; please try again later.
ui-back-home = Back to the home page
ui-error-403-title = Not allowed
ui-error-csrf = The form has expired or is not valid. Please reload the page and try again.
ui-login = Log in
ui-logout = Log out
ui-register = Register
ui-login-title = Log in
ui-register-title = Create an account
ui-username = User name
ui-username-hint = 2 to 100 characters: lower-case letters without accents, digits, - and _
ui-password = Password
ui-password-again = Password again
ui-fullname = Full name
ui-email = E-mail
ui-login-failed = Wrong user name or password.
ui-login-too-many = Too many attempts. Please wait a minute and try again.
ui-passwords-differ = The two passwords differ
ui-no-account = No account yet?
ui-have-account = Already have an account?
ui-my-orgs = My organisations
ui-no-orgs = You are not a member of any organisation yet.
ui-tokens = API tokens
ui-tokens-explain = Use a token instead of your password to call the API. A token is shown once, when created, and can be revoked at any time.
ui-token-new = Your new token — copy it now, it will not be shown again:
ui-token-label = Label
ui-token-create = Create a token
ui-token-revoke = Revoke
ui-token-none = You have no API tokens yet.
ui-token-last-used = Last used
ui-never = Never
ui-preview = Preview
ui-preview-first-rows = Showing the first { $count } rows; download for all the data.
ui-preview-start = Showing the start of the file; download for all of it.
ui-preview-none = No preview for this format.
ui-about-resource = About this resource
