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
error-access-grant-required = The data of this shared dataset is open only to its agency and to agencies granted access. Request access from the dataset page.
error-resource-not-found = Resource not found.
error-organization-not-found = Organisation not found.
error-group-not-found = Topic not found.
error-user-not-found = User not found.
error-tag-not-found = Tag not found.
error-token-not-found = API token not found.
error-file-not-found = File not found.
error-post-not-found = Post not found.
error-legal-not-found = Legal document not found.
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
field-text-too-long = Must be at most { $max } characters
field-translation-language = Must be a different post written in the other language
field-unknown-post = Post “{ $value }” does not exist
field-unknown-legal = Legal document “{ $value }” does not exist
field-legal-file-type = Only PDF or DOCX files are accepted
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

## Publishing and management pages

ui-error-403-text = You are not allowed to see or change this page with your account.
ui-no-publishing-org = You can publish once an organisation's administrator has added you as an editor.
ui-forgot-password = Forgot your password?
ui-form-has-errors = Please correct the fields marked below; nothing was saved.
ui-new-dataset = New dataset
ui-edit-dataset = Edit dataset
ui-section-describe = Description
ui-section-publisher = Publisher and access
ui-section-coverage = Coverage and contact
ui-section-file = Data
ui-section-structure = Structure
ui-field-title = Title
ui-field-name = URL name
ui-field-name-hint = Part of the address: lower-case letters without accents, digits, - and _. Left empty, it is made from the title.
ui-field-notes = Description
ui-markdown-hint = You may use Markdown: **bold**, lists, links.
ui-tags-hint = Separated by commas, for example: dân số, thống kê
ui-field-data-class = Data class
ui-class-ordinary = Ordinary data
ui-class-important = Important data
ui-class-core = Core data
ui-access-hint = Open data is public. Shared data is for state agencies on request; internal data stays in your agency. Important and core data can never be open (Law on Data No. 60/2024/QH15).
ui-field-temporal-start = Covers from
ui-field-temporal-end = Covers until
ui-spatial-hint = For example: Hà Nội, the whole country
ui-field-language = Language
ui-language-hint = Language codes separated by commas: vi, en
ui-field-maintainer-email = Contact e-mail
ui-save = Save
ui-save-and-add-data = Save and add data
ui-save-draft = Save as draft
ui-save-and-add-another = Save and add another
ui-cancel = Cancel
ui-delete = Delete
ui-remove = Remove
ui-move-up = Move up
ui-move-down = Move down
ui-add-resource = Add data
ui-danger-zone = Delete
ui-delete-dataset = Delete this dataset
ui-dataset-created = The dataset was created. Now add its data: upload a file or give a link.
ui-choose-file = Choose a file
ui-drop-hint = Or drag and drop a file here. Largest size: { $max }.
ui-or = or
ui-field-link = Link to the data
ui-link-hint = A web address (http or https) where the data or the service can be found
ui-field-resource-name = Name
ui-resource-name-hint = Left empty, the file name is used.
ui-field-description = Description
ui-field-format = Format
ui-format-hint = For example CSV, XLSX, JSON. Left empty, it is guessed from the file.
ui-uploading = Uploading
ui-upload-failed = The upload failed. Please try again.
ui-confirm-delete-title = Delete?
ui-confirm-delete-text = Do you really want to delete { $what } “{ $title }”? It disappears from the portal; its history is kept.
ui-the-dataset = the dataset
ui-the-resource = the resource
ui-new-organization = New organisation
ui-edit-organization = Edit organisation
ui-new-topic = New topic
ui-edit-topic = Edit topic
ui-field-image-url = Image address
ui-field-org-kind = Kind of organisation
ui-kind-ministry = Ministry or central agency
ui-kind-province = Province or city
ui-kind-agency = Agency
ui-kind-department = Department
ui-kind-other = Other
ui-field-parent = Belongs to
ui-field-valid-from = Exists since
ui-field-valid-to = Existed until
ui-field-successor = Succeeded by
ui-successor-hint = For a merged or reorganised unit: the organisation that took over its data.
ui-members = Members
ui-role = Role
ui-role-admin = Administrator
ui-role-editor = Editor
ui-role-member = Member
ui-no-members = This organisation has no members yet.
ui-add-member = Add a member
ui-roles-hint = Administrators manage the organisation and its members; editors publish and edit its datasets; members see its non-open data.
ui-manage = Manage
ui-draft = Draft
ui-edit = Edit

## Accounts: profile, password reset, e-mail

error-reset-link-invalid = This password reset link is not valid any more: it was used, it expired, or it was mistyped.
error-already-following = You are already following this.
error-not-following = You are not following this.
field-old-password-wrong = The current password is not right
field-sysadmin-only = Only a system administrator may change this
field-sysadmin-self = You cannot remove your own administrator rights or account
mail-reset-subject = Reset your password on { $site }
mail-reset-body = Hello { $name },

    Someone (probably you) asked to reset the password of the account “{ $user }” on { $site }.
    To choose a new password, open this link within { $minutes } minutes:

    { $link }

    If you did not ask for this, ignore this message: your password stays as it is.
ui-my-account = My account
ui-profile-edit = Edit profile
ui-about-me = About me
ui-change-password = Change password
ui-change-password-hint = Leave these empty to keep your password.
ui-current-password = Current password
ui-new-password = New password
ui-saved = Saved.
ui-reset-title = Forgotten password
ui-reset-explain = Give your user name or the e-mail address of your account. We will send a link to choose a new password.
ui-reset-login = User name or e-mail address
ui-reset-send = Send the link
ui-reset-sent = If an account matches, a message with a link is on its way. The link works for { $minutes } minutes.
ui-reset-new-title = Choose a new password
ui-reset-save = Save the new password
ui-reset-again = Ask for a new link

## Operator pages

ui-admin = Administration
ui-admin-settings = Site settings
ui-admin-users = Users
ui-admin-licenses = Licences
ui-admin-find-user = Find a user
ui-admin-rights = Rights
ui-admin-sysadmin = System administrator
ui-admin-make-sysadmin = Make administrator
ui-admin-revoke-sysadmin = Remove administrator rights
ui-search = Search
ui-yes = Yes
ui-no = No
ui-section-site = The site
ui-section-about = About and contact
ui-section-home = Home page
ui-setting-title = Site name
ui-setting-description = Short description
ui-setting-intro = Introduction on the home page
ui-setting-logo = Logo
ui-setting-logo-hint = PNG, JPEG or WebP, at most 1 MB, shown at 40 × 40 pixels.
ui-setting-logo-current = Current logo
ui-setting-about = About the portal
ui-setting-contact-email = Contact e-mail
ui-setting-contact-address = Contact address
ui-setting-featured = Featured datasets
ui-setting-featured-hint = Dataset names (the last part of their address), separated by commas, in the order to show. Only open datasets can be featured.
field-config-key = “{ $value }” is not a setting that can be changed
field-too-long = At most { $max } characters
field-featured-unknown = “{ $value }” is not a published open dataset
field-logo-too-large = The logo may be at most { $max }
field-logo-type = The logo must be a PNG, JPEG or WebP image
ui-license-id = Identifier
ui-license-id-hint = Lower-case letters, digits and - . _ (for example cc-by-4.0). Clients send it as license_id.
ui-license-url = Address of the full text
ui-license-new = Add a licence
ui-license-edit = Change a licence
ui-license-properties = Properties
ui-license-open = Open licence (Open Definition)
ui-license-generic = Generic (“other”) licence
ui-license-for-data = For data
ui-license-for-content = For content
ui-license-for-software = For software
field-license-id = “{ $value }” is not a valid licence identifier
error-license-not-found = Licence not found.
error-license-in-use = This licence is used by { $count } datasets; change them first.

## About and licences

ui-about-title = About
ui-about-default = { $site } is where state agencies publish open data, and where citizens, researchers, students and businesses find, preview, query and download it.
ui-about-access-levels = Under the Law on Data (60/2024/QH15), data is open (public), shared between state agencies, or internal to its agency. Only open data is visible to everyone here; shared data is visible to signed-in staff of state agencies.
ui-contact = Contact
ui-contact-none = The operator has not published contact details yet.
ui-address = Address
ui-about-for-developers = For developers
ui-link-ckan-api = CKAN API v3
ui-link-rest-api = REST API (OpenAPI)
ui-link-sitemap = Site map
ui-licenses-title = Licences
ui-licenses-lead = Each dataset says under which licence you may reuse it. Here is what each licence asks of you, in plain words; the full text is authoritative.
ui-license-is-open = Open
ui-license-not-open = Not open
ui-license-cond-none = No conditions: use, share and change the data for any purpose, even without naming the source.
ui-license-cond-attribution = Name the source (the publishing agency) when you reuse or share the data.
ui-license-cond-share-alike = Share what you make from the data under the same licence.
ui-license-cond-non-commercial = No commercial use without the publisher's permission.
ui-license-cond-not-open = Not an open licence: read its terms before any reuse.
ui-license-cond-unspecified = No licence was given: ask the publisher before reusing the data.
ui-license-full-text = Full text
ui-license-datasets = Datasets under this licence

## Dataset and resource pages

ui-follow = Follow
ui-unfollow = Stop following
ui-n-followers = { $count ->
    [one] { $count } follower
   *[other] { $count } followers
}
ui-n-views = { $count ->
    [one] { $count } view
   *[other] { $count } views
}
ui-n-downloads = { $count ->
    [one] { $count } download
   *[other] { $count } downloads
}
ui-share = Share
ui-share-link = Link to this dataset
ui-share-email = By e-mail
ui-featured-datasets = Featured datasets
ui-most-used-datasets = Most downloaded this month
ui-media-type = Media type
ui-checksum = SHA-256 checksum
ui-api = API
ui-preview-pdf-hint = If the document does not show, download it.

## Datastore
field-bad-json = Must be valid JSON of the right shape
error-datastore-not-found = This resource has no datastore table (yet)
datastore-unknown-column = The table has no column “{ $column }”
datastore-bad-query = The query is not valid: { $detail }
datastore-not-select = Only one SELECT statement is allowed
datastore-table-not-found = Table “{ $table }” does not exist
datastore-timeout = The query took longer than { $seconds } seconds and was stopped
datastore-too-many-rows = The table has { $rows } rows, more than { $format } can hold ({ $limit }); download it as CSV or Parquet
datastore-memory = The query needs more memory than allowed; filter or aggregate more
datastore-bad-records-format = “{ $value }” is not a records format (objects, lists, csv, tsv)
datastore-bad-export-format = “{ $value }” is not an export format
ui-ds-see-table = The file as a table, with filters and sorting, is below.
ui-ds-title = Data table
ui-ds-working = The file is being turned into a queryable table…
ui-ds-working-hint = This page refreshes by itself. The file can be downloaded meanwhile.
ui-ds-failed = This file could not be turned into a table; the report below says why. The file itself can still be downloaded.
ui-ds-find = Find
ui-ds-column = Column
ui-ds-equals = equals
ui-ds-apply = Apply
ui-ds-reset = Clear
ui-ds-rows = Rows: { $count }
ui-ds-type-int = whole number
ui-ds-type-numeric = number
ui-ds-type-text = text
ui-ds-type-date = date
ui-ds-type-timestamp = date and time
ui-ds-type-bool = yes/no
ui-ds-report = Ingestion report
ui-ds-report-rows = Rows loaded
ui-ds-report-encoding = Encoding
ui-ds-report-delimiter = Delimiter
ui-ds-report-rejected = Rows set aside
ui-ds-line = Line
ui-ds-reason = Reason
ui-ds-profile = Column profile
ui-ds-profile-type = Type
ui-ds-profile-empty = Empty cells
ui-ds-profile-distinct = Distinct values (approx.)
ui-ds-profile-range = Smallest – largest
ui-ds-profile-top = Most frequent
ui-chart-title = Chart
ui-chart-type = Chart
ui-chart-type-bar = Bars
ui-chart-type-line = Line
ui-chart-type-pie = Pie
ui-chart-x = Grouped by
ui-chart-agg = Figure
ui-chart-agg-count = Number of rows
ui-chart-agg-sum = Sum of
ui-chart-agg-avg = Average of
ui-chart-y = Column
ui-chart-draw = Draw
ui-chart-figures = The figures behind the chart
ui-chart-empty = No values to draw.
ui-chart-caption-count = Number of rows by { $x }
ui-chart-caption-sum = Sum of { $y } by { $x }
ui-chart-caption-avg = Average of { $y } by { $x }
ui-map-title = Map
ui-map-caption = { $count } places between latitudes { $south } and { $north }, longitudes { $west } and { $east }.
ui-map-limited = Only the first { $limit } are drawn.
ui-ds-api = Download the table or query it

## Ingestion reports (keys from sen-ingest)
ingest-ragged-row = Line { $line } has { $found } cells but the header has { $expected }; the row was not loaded.
ingest-short-rows = { $count } rows have fewer than { $expected } cells (first at line { $first_line }); the missing cells were left empty.
ingest-json-not-object = Record { $line } is not a JSON object; it was not loaded.
ingest-json-invalid-line = Line { $line } is not valid JSON ({ $error }); it was not loaded.
ingest-mixed-types = Column “{ $column }” was stored as text because { $count } values are not of type { $type } (first at line { $first_line }).
ingest-override-null = Column “{ $column }”: { $count } values could not be read as { $type } and were left empty (first at line { $first_line }).
ingest-override-unknown-type = Column “{ $column }”: type “{ $type }” is not supported; the detected type was used.
ingest-override-missing-column = Column “{ $column }” from the saved schema is not in the file.
ingest-column-unnamed = A column without a name was called “{ $column }”.
ingest-column-duplicate = A second column named “{ $original }” was renamed “{ $column }”.
ingest-cell-errors = { $count } rows contain spreadsheet error cells (such as #N/A), left empty (first at row { $first_line }).
ingest-other-sheets = Only the sheet “{ $sheet }” was loaded; { $ignored } other sheets were ignored.
ingest-no-header = The first row looks like data, so the columns were named column_1, column_2, …
ingest-error-unreadable = The file could not be read as a table ({ $detail }).
ingest-error-not-tabular = This file is not in a tabular format.
ingest-error-empty = The file is empty: it has no header and no data.
ingest-error-json-not-records = The JSON file must be an array of objects (or a GeoJSON FeatureCollection).
ingest-error-json-syntax = The JSON file is invalid at line { $line }, column { $column } ({ $detail }).
ingest-error-no-sheets = The workbook has no sheet with data.
ingest-error-too-many-columns = The table has { $found } columns; at most { $max } are supported.
ingest-error-io = The file could not be read or written ({ $detail }).
ingest-error-parquet = The table could not be saved ({ $detail }).
datastore-bad-column-name = “{ $value }” cannot name a column (empty, or starting with _)
datastore-bad-column-type = “{ $value }” is not a column type (int, numeric, text, date, timestamp, bool)
datastore-no-primary-key = The table has no primary key; only “insert” is possible
datastore-record-without-key = Record { $row } has no value for the primary key
datastore-key-exists = A record with this key already exists; nothing was changed
datastore-key-missing = A record to update does not exist; nothing was changed

# Open-standard exports: DCAT-AP, DCAT-US data.json, Frictionless, Atom
error-bad-parameter = The parameter “{ $name }” is not valid: “{ $value }”
feed-catalog-title = Recently updated datasets – { $site }
feed-organization-title = Datasets of { $name }
feed-group-title = Datasets on the topic { $name }
feed-dataset-title = Activity of the dataset { $name }
feed-activity-new = Dataset “{ $name }” created
feed-activity-changed = Dataset “{ $name }” updated
feed-activity-deleted = Dataset “{ $name }” deleted
feed-activity-fields = Changed fields: { $fields }
ui-exports = Metadata in open standards
ui-exports-explain = Download this dataset's metadata in open standards, or follow its changes through an Atom feed:
ui-exports-catalog = The whole catalogue in open standards:
ui-export-dcat = DCAT-AP 3
ui-export-datapackage = Frictionless data package (datapackage.json)
ui-export-data-json = DCAT-US (data.json)
ui-feed = Atom feed
ui-feed-catalog = Atom feed: recently updated datasets
ui-feed-dataset = Atom feed: activity of this dataset
ui-feed-group = Atom feed: recently updated datasets here
## Harvesting (keys from sen-harvest and the harvest pages)
harvest-error-bad-url = “{ $url }” is not a usable web address.
harvest-error-scheme = Only http and https sources can be harvested, not “{ $scheme }”.
harvest-error-private-address = The source’s host { $host } is a private, loopback or link-local address; harvesting it is not allowed.
harvest-error-resolve = The source’s host { $host } could not be found (DNS).
harvest-error-connect = The source’s server { $host } could not be reached.
harvest-error-timeout = The source did not answer in time.
harvest-error-redirects = The source redirected more than { $max } times (a redirect loop?).
harvest-error-status = The source answered with HTTP error { $status }.
harvest-error-too-large = The source’s answer is larger than the limit of { $max } bytes.
harvest-error-parse = The source’s answer could not be read: { $detail }
harvest-error-paging = The source’s paging does not advance (the same page came back twice).
harvest-error-too-many-pages = The source has more than { $max } pages.
harvest-error-object-shape = This entry is not a dataset object.
harvest-error-object-no-id = This dataset has no identifier, so it cannot be harvested.
error-harvest-sysadmin-only = Only portal administrators can manage harvest sources.
error-harvest-source-not-found = Harvest source not found.
error-harvest-job-running = A run of this source is in progress; try again when it has finished.
error-harvest-job-not-found = Harvest job not found.
error-harvest-not-validated = Run a dry run of this source successfully before its first real run.
field-harvest-license-map = Give the licence mapping as lines “remote=local” (or a JSON object).
ui-admin-harvest = Harvesting
ui-harvest-sources = Harvest sources
ui-harvest-intro = Datasets of other catalogues (CKAN, DCAT, DCAT-US data.json) copied into an organisation here, with links to their files. A source must pass a dry run before its first real run.
ui-harvest-none = No harvest sources yet.
ui-harvest-new = Add a harvest source
ui-harvest-url = Source address
ui-harvest-url-hint = The portal’s address for CKAN, the catalogue (RDF) for DCAT, the data.json file for DCAT-US.
ui-harvest-type = Source type
ui-harvest-type-ckan = CKAN (Action API)
ui-harvest-type-dcat = DCAT (RDF: Turtle, RDF/XML, JSON-LD)
ui-harvest-type-datajson = DCAT-US data.json
ui-harvest-org = Target organisation
ui-harvest-frequency = Schedule
ui-harvest-frequency-manual = By hand only
ui-harvest-frequency-hourly = Hourly
ui-harvest-frequency-daily = Daily
ui-harvest-frequency-weekly = Weekly
ui-harvest-access = Access level of harvested datasets (never more open than the source says)
ui-harvest-license-map = Licence mapping
ui-harvest-license-map-hint = One line per licence: remote id or address=local licence id, e.g. CC-BY-4.0=cc-by-4.0.
ui-harvest-keep-edits = Keep fields edited here since the last harvest
ui-harvest-dry-run = Dry run
ui-harvest-run-now = Run now
ui-harvest-validated = Dry run passed
ui-harvest-not-validated = Needs a dry run
ui-harvest-jobs = Jobs
ui-harvest-no-jobs = No jobs yet.
ui-harvest-job-kind-dry = dry run
ui-harvest-job-kind-real = run
ui-harvest-status-queued = queued
ui-harvest-status-running = running
ui-harvest-status-finished = finished
ui-harvest-status-failed = failed
ui-harvest-created = created
ui-harvest-updated = updated
ui-harvest-deleted = withdrawn
ui-harvest-unchanged = unchanged
ui-harvest-errored = errors
ui-harvest-queued = The job was queued; refresh this page to see its report.
ui-harvest-from = Harvested from { $source }
ui-harvest-original = see the original
ui-harvest-last = last harvested { $when }
error-data-request-not-found = Data request not found.
error-request-refusal-reasons = A refusal must give its reasons
error-request-dataset-not-public = Give the name of a public dataset
request-status-open = Open
request-status-routed = Sent to an agency
request-status-under-review = Under review
request-status-planned = Planned
request-status-published = Published
request-status-refused = Refused
request-event-routed = Your request was sent to an agency.
request-event-answered = The agency answered your request.
request-event-comment = Someone commented on your request.
mail-request-subject = Your data request “{ $title }” on { $site }
mail-request-body = Hello { $name },

    { $event }
    Request: { $title }
    Status: { $status }
    { $answer }

    { $link }

    — { $site }
ui-nav-requests = Data requests
ui-requests-title = Data requests
ui-requests-intro = Ask for a dataset that is missing; vote for the requests you need. The portal sends each request to the agency that holds the data, which answers here.
ui-request-new = Request a dataset
ui-request-new-intro = Say which data you need, why, and which agency may hold it.
ui-request-sort = Sort by
ui-request-sort-newest = Newest
ui-request-sort-votes = Most votes
ui-request-status = Status
ui-request-any = Any
ui-request-agency = Agency
ui-request-filter = Filter
ui-request-count = { $count ->
    [one] One request
   *[other] { $count } requests
}
ui-request-votes = { $count ->
    [one] One vote
   *[other] { $count } votes
}
ui-request-field-title = What data is missing?
ui-request-field-description = Description
ui-request-field-reason = Why do you need it?
ui-request-field-agency = Suggested agency
ui-request-submit = Send the request
ui-request-requester = Asked by
ui-request-created = Asked on
ui-request-planned-date = Planned for
ui-request-dataset = Dataset
ui-request-dataset-name = Dataset (name, when published)
ui-request-answer = Answer
ui-request-answer-hint = A refusal must give its reasons.
ui-request-answer-title = Answer this request
ui-request-answer-send = Send the answer
ui-request-vote = Vote for this request
ui-request-unvote = Withdraw my vote
ui-request-login-to-vote = Sign in to vote or comment
ui-request-comments = Comments
ui-request-no-comments = No comments yet.
ui-request-comment = Your comment
ui-request-comment-send = Comment
ui-request-route = Send to an agency
ui-request-route-send = Send
error-feedback-not-found = Report not found.
mail-feedback-subject = An answer to your report on { $site }
mail-feedback-body = Hello,

    You reported: { $message }

    The answer: { $answer }

    — { $site }
feedback-category-wrong-data = Wrong data
feedback-category-broken-link = Broken link
feedback-category-outdated = Outdated
feedback-category-other = Other
feedback-status-open = Open
feedback-status-answered = Answered
feedback-status-closed = Closed
ui-feedback-title = Report a problem
ui-feedback-intro = Tell us about wrong data, a broken link, outdated data or anything else. The agency that publishes the data answers. Your e-mail address is optional and never shown publicly.
ui-feedback-report = Report a problem with this dataset
ui-feedback-category = What kind of problem?
ui-feedback-message = What is wrong?
ui-feedback-contact = E-mail for the answer
ui-feedback-contact-hint = Optional. Only the agency sees it.
ui-feedback-leave-empty = Leave this empty
ui-feedback-public = Show my report and its answer publicly
ui-feedback-send = Send the report
ui-feedback-thanks = Thank you: your report was sent to the agency.
ui-feedback-too-many = You have sent many reports in a short time. Please wait a few minutes and try again.
ui-feedback-queue = Problem reports
ui-feedback-none = No reports.
ui-feedback-is-public = public
ui-feedback-reporter = Reported by
ui-feedback-answer = Answer
ui-feedback-answer-send = Save the answer
## Data inventory (databases, information systems), open-data lists, dashboards

error-inventory-system-not-found = Information system or database not found.
error-inventory-not-template = The file does not follow the inventory template: its first row must hold the template's column names (at least the system name).
error-open-data-item-not-found = Open-data list item not found.
error-inventory-bad-file = The file cannot be read: only an XLSX workbook or a CSV file in the template’s layout is accepted.
error-inventory-import-invalid = { $count } rows are not valid; nothing was imported.
field-inventory-open-count = Give a count of open-data records only when the system holds open data
field-inventory-open-count-total = Open-data records cannot exceed the total number of records
field-inventory-sharing-none = “Not shared” cannot go with another sharing method or a data service
inv-kind-national = National database
inv-kind-sectoral = Sectoral database
inv-kind-local = Local (provincial) database
inv-kind-other = Other
inv-status-planned = Planned
inv-status-building = Being built
inv-status-operating = In operation
inv-status-retired = Retired
inv-freq-realtime = Real time
inv-freq-daily = Daily
inv-freq-weekly = Weekly
inv-freq-monthly = Monthly
inv-freq-quarterly = Quarterly
inv-freq-yearly = Yearly
inv-freq-irregular = Irregular
inv-level-open = Open data
inv-level-shared = Shared data
inv-level-internal = Internal data
inv-sharing-ndxp = National data integration and sharing platform (NDXP)
inv-sharing-lgsp = Ministerial or provincial data sharing platform (LGSP)
inv-sharing-file = File transfer
inv-sharing-none = Not shared
odl-status-published = Published
odl-status-planned = Planned
odl-status-overdue = Overdue
inv-col-owner_org = The agency's URL name; an import into an agency puts every row in that agency (used when a sysadmin imports the whole inventory)
inv-col-name = Required
inv-col-description = Text
inv-col-unit = Text
inv-col-legal_basis = The legal documents it rests on
inv-col-kind = Required: national, sectoral, local, other
inv-col-scope = For example: national, provincial
inv-col-subjects = A list separated by semicolons, e.g. residents; land; enterprises
inv-col-data_levels = open; shared; internal
inv-col-data_classes = ordinary; important; core
inv-col-record_count = A whole number, not negative
inv-col-open_record_count = A whole number, not negative, at most the total
inv-col-update_frequency = realtime, daily, weekly, monthly, quarterly, yearly, irregular
inv-col-status = Required: planned, building, operating, retired
inv-col-sharing = ndxp; lgsp; file; none
inv-col-services = One service per line: name | API address | documentation address | open/shared/internal
inv-col-contact_name = Text
inv-col-contact_email = An e-mail address
inv-col-datasets = URL names of datasets, separated by semicolons
ui-nav-inventory = Data inventory
ui-filter = Filter
ui-inv-title = Data inventory
ui-inv-lead = The databases and information systems state agencies hold (Law on Data No. 60/2024/QH15, Decree 194/2025/ND-CP). Everyone sees the public information; staff of state agencies see everything.
ui-inv-dashboard = Data dashboard
ui-inv-template-xlsx = Download the template (XLSX)
ui-inv-template-csv = Download the template (CSV)
ui-odl-title = Open-data list
ui-inv-new = Add a system
ui-inv-import = Import from a spreadsheet
ui-inv-export-xlsx = Export to XLSX
ui-inv-export-csv = Export to CSV
ui-inv-kind = Kind
ui-inv-status = Status
ui-inv-count = { $count } information systems and databases
ui-inv-name = Name
ui-inv-agency = Owning agency
ui-inv-open-data = Holds open data
ui-inv-none = No system has been recorded yet.
ui-inv-public-part = This is the public information. Staff of state agencies sign in to see the whole record.
ui-inv-scope = Scope
ui-inv-subjects = Subjects covered
ui-inv-frequency = Update rhythm
ui-inv-records = about { $count } records
ui-inv-unit = Operating unit
ui-inv-legal-basis = Legal basis
ui-inv-levels = Access levels held
ui-inv-classes = Data classes held
ui-inv-record-count = Records (approximate)
ui-inv-sharing = How it is shared
ui-inv-contact = Contact
ui-inv-services = Data services (APIs)
ui-inv-endpoint = API address
ui-inv-docs = Documentation
ui-inv-datasets = Published datasets
ui-inv-no-datasets = No dataset has been published from this system yet.
ui-inv-form-title = Information system or database record
ui-inv-description = Description
ui-inv-list-hint = Separated by semicolons, e.g. residents; land; enterprises
ui-inv-open-record-count = Open-data records
ui-inv-services-hint = One service per line: name | API address | documentation address | open, shared or internal
ui-inv-contact-email = Contact e-mail
ui-inv-datasets-hint = URL names of the agency's datasets, separated by semicolons
ui-inv-import-lead = Fill in the template (row 1 in Vietnamese, row 2 in English) and upload it. Every row is checked first; if any row is wrong nothing is imported, unless you choose to import the valid rows only.
ui-inv-import-done = { $count } systems imported.
ui-inv-import-skipped = { $count } invalid rows were skipped:
ui-inv-row = Row { $row }
ui-inv-import-nothing = Nothing was imported. Correct the errors below and upload again, or choose to import the valid rows only.
ui-inv-report = Row-by-row check
ui-inv-row-col = Row
ui-inv-column = Column
ui-inv-reason = Reason
ui-inv-file = Spreadsheet (XLSX or CSV)
ui-inv-mode = When a row is wrong
ui-inv-mode-all = Import nothing (report only)
ui-inv-mode-valid = Import the valid rows only
ui-inv-columns = The template's columns
ui-inv-values = Values
ui-odl-rules = Rules: the list is reviewed at least every { $review } months; data is updated within { $update } months.
ui-odl-last-review = Last review: { $date }; next review due: { $due }.
ui-odl-never-reviewed = The list has never been reviewed.
ui-odl-review-overdue = The list is overdue for review.
ui-odl-review-overdue-short = review overdue
ui-odl-counts = { $total } items: { $published } published, { $overdue } overdue, { $stale } not updated in time.
ui-odl-item = Data committed to open
ui-odl-planned = Planned opening date
ui-odl-dataset = Dataset
ui-odl-stale = not updated in time
ui-odl-empty = The list has no items yet.
ui-odl-reviews = Reviews
ui-odl-add = Add an item
ui-odl-dataset-hint = The dataset's URL name once published
ui-odl-review = Record a review of the list
ui-odl-note = Note
ui-inv-dash-full = Full figures for staff of state agencies.
ui-inv-dash-public = Figures from public information.
ui-inv-as-of = As of { $date }.
ui-inv-sector = Sector
ui-inv-download-csv = Download as CSV
ui-inv-stat-systems = systems
ui-inv-stat-open = hold open data
ui-inv-stat-shared = hold shared data
ui-inv-stat-platforms = shared through NDXP/LGSP
ui-inv-stat-list = open-data list items published
ui-inv-stat-overdue = items past their planned date
ui-inv-stat-review-overdue = lists overdue for review
ui-inv-stat-fresh = datasets updated within { $months } months
ui-inv-requests-pending = Share of data requests answered on time: not available yet (data-sharing requests are not built yet).
ui-inv-share-open = Systems holding open data
ui-inv-list-progress = Open-data list progress
ui-inv-fresh = Data updated in time
ui-inv-by-status = Systems by status
ui-inv-by-kind = Systems by kind
ui-inv-by-agency = By agency
ui-section-inventory-rules = Open-data list rules
ui-setting-review-months = Review each list at least every (months)
ui-setting-review-months-hint = Empty: 6 months (Decree 47/2020)
ui-setting-update-months = Data updated within (months)
ui-setting-update-months-hint = Empty: 3 months

## Knowledge hub: posts and the legal library
ui-nav-news = News & guides
ui-nav-legal = Legal documents
ui-search-tabs = Search in
ui-home-news = Latest news
ui-home-news-all = All news and guides
ui-post-new = Write a post
ui-post-edit = Edit post
ui-post-delete = Delete post
ui-post-search = Search news and guides
ui-post-all = All
ui-post-category = Category
ui-post-category-news = News
ui-post-category-guide = Guide
ui-post-category-article = Technical article
ui-post-category-standard = Standard
ui-post-status = Status
ui-post-status-draft = Draft
ui-post-status-published = Published
ui-post-scheduled = Scheduled
ui-post-published = Published
ui-post-author = Author
ui-post-translation-vi = Tiếng Việt
ui-post-translation-en = In English
ui-post-slug-hint = Left empty, it is made from the title.
ui-post-summary = Summary
ui-post-body = Text
ui-post-publication = Publication
ui-post-language = Language
ui-language-vi = Vietnamese
ui-language-en = English
ui-post-translation-of = Same post in the other language
ui-post-translation-hint = Address name of the Vietnamese or English version, if there is one.
ui-post-published-at = Publication time (UTC)
ui-post-published-at-hint = A time in the future schedules the post; empty means now when published.
ui-legal-intro = Laws, decrees, decisions and circulars on data and digital government.
ui-legal-search = Number, title or words of the text
ui-legal-number = Number
ui-legal-type = Type
ui-legal-type-law = Law
ui-legal-type-ordinance = Ordinance
ui-legal-type-resolution = Resolution
ui-legal-type-decree = Decree
ui-legal-type-decision = Decision
ui-legal-type-directive = Directive
ui-legal-type-circular = Circular
ui-legal-type-official-letter = Official letter
ui-legal-type-other = Other document
ui-legal-status = Status
ui-legal-status-in-force = In force
ui-legal-status-not-yet-in-force = Not yet in force
ui-legal-status-amended = Amended
ui-legal-status-repealed = Repealed
ui-legal-issuer = Issuing body
ui-legal-signed-on = Signed on
ui-legal-effective-from = In force from
ui-legal-amends = Amends
ui-legal-repeals = Repeals
ui-legal-amended-by = Amended by
ui-legal-repealed-by = Repealed by
ui-legal-summary = Summary
ui-legal-download = Download the text
ui-legal-full-text = Full text

## Inter-agency sharing
error-access-request-not-found = Access request not found.
error-access-grant-not-found = Access grant not found.
error-access-request-state = The request is { $state }: this step is not possible now.
error-access-request-staff-only = Only staff of a state agency (members of an organisation) can request access.
error-access-request-not-shared = Access can be requested only for shared datasets.
error-access-request-own-agency = Your agency owns this dataset: you already have access.
mail-access-request-subject = Access request for “{ $dataset }”
mail-access-request-body = { $user } asked for access to the data of “{ $dataset }”. Please answer by { $due }:

    { $link }
mail-access-overdue-subject = Overdue access request for “{ $dataset }”
mail-access-overdue-body = The access request for “{ $dataset }” was due on { $due } and has not been answered:

    { $link }
mail-access-escalated-subject = Access request escalated to the portal operator
mail-access-escalated-body = A requesting agency escalated an access request. Reason: { $reason }

    { $link }
ui-access-request = Request access to the data
ui-access-requests = Access requests
ui-access-request-title = Access request
ui-access-purpose = Purpose
ui-access-legal-basis = Legal basis
ui-access-period = Period of use
ui-access-state = State
ui-access-due = Due
ui-access-history = History
ui-access-decide = Decision
ui-access-approve = Approve
ui-access-refuse = Refuse
ui-access-expires = Access until (YYYY-MM-DD)
ui-access-reason = Reasons
ui-access-escalate = Escalate to the portal operator
ui-access-submit = Send the request
ui-access-none = No access requests.
ui-access-dataset = Dataset
ui-access-requester = Requesting agency
ui-access-overdue = overdue
ui-access-data-restricted = The data of this shared dataset is open to its agency and to agencies granted access.
ui-audit-title = Audit log
ui-audit-at = Time
ui-audit-user = User
ui-audit-action = Action
ui-audit-dataset = Dataset
ui-audit-organization = Organisation
ui-audit-from = From
ui-audit-to = To
ui-audit-filter = Filter
ui-audit-csv = Download as CSV
ui-audit-detail = Detail
