"""The generic view of one resource: list, create, edit, delete, links and the object page.

One :class:`ResourceView` per class of the registry, configured from its
declarations: the list shows the primary key and the visible columns, sorts
on any of them, searches by ID prefix (and name), and takes the API's
filters (``?filter=`` JSON, dotted paths included); the forms hold the
writable fields — never the computed ID or the timestamps — and an edit
leaves the ID's parts alone (renaming is its own action). Every write is an
ORM change committed through the session, so the write pipeline's rules,
authorisation and change record run as for the API; a refusal is shown next
to the field it names, in the API's words.
"""
from flask import flash, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import BaseForm
from flask_admin.model import template
from markupsafe import Markup, escape
from sqlalchemy import Float, func, or_
from wtforms import FloatField

from qairon.admin import access, edits, objects
from qairon.admin.guard import Guarded
from qairon.admin.search import escaped
from qairon.api.filters import prepare_filters
from qairon.api.query import build_query, parse_filter_text
from qairon.core.errors import NotFound, QaironError
from qairon.extensions import db

#: Writable fields too long for a list row (shown on the object page).
HIDDEN_IN_LIST = ("defaults",)


class QaironForm(BaseForm):
    """Every form of the UI carries the session's CSRF token."""

    class Meta:
        csrf = True
        csrf_field_name = "csrf_token"

        @property
        def csrf_class(self):
            """The identity layer's per-session token (:class:`access.SessionCSRF`)."""
            return access.SessionCSRF


def show_refusal(form, refusal):
    """Put a refusal's sentence next to the field it names, or above the form."""
    field = form._fields.get(refusal.field) if form is not None and refusal.field else None
    if field is not None:
        field.errors = [*field.errors, refusal.detail]
    else:
        flash(refusal.detail, "error")


def object_url(resource, object_id):
    """The object page of ``resource`` ``object_id``."""
    return url_for(f"{resource}.details_view", id=object_id)


def _id_link(view, context, model, name):
    return Markup(f'<a href="{escape(object_url(model.resource, model.id))}">'
                  f'{escape(model.id)}</a>')


def _reference_link(view, context, model, name):
    value = getattr(model, name)
    if value is None:
        return ""
    return Markup(f'<a href="{escape(object_url(model.references()[name], value))}">'
                  f'{escape(value)}</a>')


class ResourceView(Guarded, ModelView):
    """List, forms, delete with its cascade plan, links and the object page of one resource."""

    list_template = "qairon/list.html"
    create_template = "qairon/create.html"
    edit_template = "qairon/edit.html"
    form_base_class = QaironForm
    column_display_pk = True
    can_view_details = False  # the ID links to the object page (our details_view)
    can_set_page_size = True
    page_size = 50
    page_size_options = (20, 50, 100, 500)
    column_default_sort = "id"

    def __init__(self, cls, category):
        self.resource_class = cls
        columns = ["id", *(c for c in cls.writable_fields() if c not in HIDDEN_IN_LIST),
                   "last_updated_at"]
        self.column_list = columns
        self.column_sortable_list = columns
        self.column_searchable_list = ["id", *(c for c in cls.name_fields() if c in columns)]
        self.column_formatters = {"id": _id_link,
                                  **{name: _reference_link for name in cls.references()}}
        self.form_columns = cls.writable_fields()
        self.form_overrides = {c.key: FloatField for c in cls.__table__.columns
                               if isinstance(c.type, Float)}  # a number, not a Decimal
        self.form_args = {"defaults": {"default": {},
                                       "description": "a JSON object, merged below this "
                                                      "object (see Effective defaults)"}}
        super().__init__(cls, db.session, name=cls.plural.replace("_", " "),
                         endpoint=cls.resource, url=f"/admin/{cls.plural}", category=category)

    # --- who may write: decided again by the pipeline on every write ----------------

    @property
    def can_create(self):
        """Writers and admins see the create form (the pipeline decides again)."""
        return access.may("writer")

    @property
    def can_edit(self):
        """Writers and admins see the edit form (the pipeline decides again)."""
        return access.may("writer")

    @property
    def can_delete(self):
        """Writers and admins see the delete page (a cascade needs an admin)."""
        return access.may("writer")

    # --- primary keys are the IDs themselves ------------------------------------------

    def get_list_row_actions(self):
        """View and edit as Flask-Admin draws them; delete as a link to the page that shows
        what the delete would remove (one link per row instead of a form)."""
        actions = [a for a in super().get_list_row_actions()
                   if not isinstance(a, template.DeleteRowAction)]
        if self.can_delete:
            actions.append(template.EndpointLinkRowAction("fa fa-trash", ".delete_view",
                                                          title="Delete…"))
        return actions

    def get_pk_value(self, model):
        """The object's ID, as it is: no encoding of its own in URLs."""
        return model.id

    def get_one(self, id):
        """The object of that ID, or None."""
        return self.session.get(self.model, id)

    def require(self, object_id):
        """The object ``object_id`` or 404 in the API's words."""
        obj = self.get_one(object_id) if object_id else None
        if obj is None:
            raise NotFound(f"{self.resource_class.resource} {object_id!r} does not exist",
                           field="id")
        return obj

    # --- list: the API's filters and a search by ID prefix or name --------------------

    def api_filters(self):
        """The checked ``?filter=`` of the request (the API's language), or none."""
        text = request.args.get("filter", "").strip() if request else ""
        if not text:
            return []
        return prepare_filters(self.model, parse_filter_text(text))

    def get_query(self):
        """The list's query with the request's API filters; Flask-Admin sorts it."""
        return build_query(self.session, self.model, self.api_filters()).order_by(None)

    def get_count_query(self):
        """The count of the filtered list."""
        filtered = self.get_query().with_entities(self.model.id).subquery()
        return self.session.query(func.count()).select_from(filtered)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Objects whose ID starts with the text, or whose own name holds it."""
        text = escaped(search.strip())
        matches = [self.model.id.like(text + "%", escape="\\")]
        matches += [getattr(self.model, name).like("%" + text + "%", escape="\\")
                    for name in self.column_searchable_list[1:]]
        condition = or_(*matches)
        query = query.filter(condition)
        if count_query is not None:
            filtered = self.get_query().filter(condition).with_entities(self.model.id)
            count_query = self.session.query(func.count()).select_from(filtered.subquery())
        return query, count_query, joins, count_joins

    # --- writes through the session, hence the pipeline ----------------------------------

    def edit_form(self, obj=None):
        """The edit form without the ID's parts (an ID changes only by a rename)."""
        form = super().edit_form(obj)
        for name in self.resource_class.identity_fields():
            if name in form:
                del form[name]
        return form

    def validate_form(self, form):
        """Validate, and say so above the form when the CSRF token is missing or wrong."""
        valid = super().validate_form(form)
        token = form._fields.get("csrf_token")
        for error in (token.errors if token is not None else ()):
            flash(error, "error")
        return valid

    def _commit(self, form):
        """Commit the session's writes; a refusal goes next to its field, nothing is written."""
        try:
            self.session.commit()
        except QaironError as refusal:
            self.session.rollback()
            show_refusal(form, refusal)
            return False
        return True

    def create_model(self, form):
        """Create through the session and so the pipeline; False after a refusal."""
        model = self.build_new_instance()
        form.populate_obj(model)
        if model.defaults is None:
            model.defaults = {}
        self.session.add(model)
        return model if self._commit(form) else False

    def update_model(self, form, model):
        """Change through the session and so the pipeline; False after a refusal."""
        form.populate_obj(model)
        if model.defaults is None:
            model.defaults = {}
        return self._commit(form)

    @expose("/delete/", methods=("GET", "POST"))
    def delete_view(self):
        """Show what a delete would remove; delete (with cascade) once confirmed."""
        return edits.delete_page(self, self.require(request.values.get("id")))

    @expose("/link/", methods=("POST",))
    def link_view(self):
        """Add or remove one link of a declared many-to-many relation."""
        access.require_csrf()
        return edits.change_link(self, self.require(request.form.get("id")))

    # --- the object page ---------------------------------------------------------------

    @expose("/details/")
    def details_view(self):
        """Every field, the ancestors, children and links, defaults, walks, panels, history."""
        obj = self.require(request.args.get("id"))
        tabs = objects.relation_tabs(obj)
        selected = next((t for t in tabs if t["key"] == request.args.get("tab")), None)
        if selected is None:
            selected = next((t for t in tabs if t["count"]), tabs[0] if tabs else None)
        as_of, past, as_of_error = request.args.get("as_of"), None, None
        if as_of:
            try:
                past = objects.state_at(obj, as_of)
            except QaironError as refusal:
                as_of_error = refusal.detail
        walk_name, walk_doc = objects.walk(obj, request.args.get("graph", "trace"))
        changes, more = objects.history(obj)
        defaults = objects.effective_defaults(obj)
        return self.render(
            "qairon/object.html", obj=obj, crumbs=objects.ancestors(obj, defaults.get("layers")),
            fields=objects.fields(obj, past[1] if past and past[1] else None),
            tabs=tabs, selected=selected,
            rows=objects.tab_rows(obj, selected) if selected else [],
            defaults=defaults,
            walks=objects.declared(type(obj), objects.WALKS), walk_name=walk_name,
            walk_doc=walk_doc, panels=objects.panels(obj), changes=changes, more=more,
            as_of=as_of, past=past, as_of_error=as_of_error,
            subnets=objects.cidr_children(obj))
