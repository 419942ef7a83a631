"""The writes of the object page beyond the forms: a delete after its plan, a link.

Both are ORM changes committed through the session, so the write pipeline
decides them as it decides the API's: the delete's refusal or cascade
(:mod:`qairon.pipeline.deletion`, an admin's for a cascade), the link's rules
(isolation) and authorisation; a refusal is shown in the API's words and
nothing is written.
"""
from flask import flash, redirect, request, url_for

from qairon.admin import access
from qairon.core.errors import NotFound, QaironError
from qairon.pipeline import CASCADE_KEY
from qairon.pipeline.deletion import cascade_plan, dependants, describe

PLAN_ROWS = 200


def delete_page(view, obj):
    """What deleting ``obj`` would remove; once confirmed (a post), the delete itself."""
    session = view.session
    if request.method == "POST" and request.form.get("confirm") == "yes":
        access.require_csrf()
        session.info[CASCADE_KEY] = request.form.get("cascade") == "yes"
        session.delete(obj)
        try:
            session.commit()
        except QaironError as refusal:
            session.rollback()
            flash(refusal.detail, "error")
            obj = view.require(obj.id)
        else:
            flash(f"{obj.resource} {obj.id} deleted", "success")
            return redirect(url_for(".index_view"))
    counts = dependants(session, obj)
    plan = cascade_plan(session, obj).changes if counts else []
    return view.render("qairon/delete.html", obj=obj, counts=counts,
                       summary=describe(counts) if counts else "", plan=plan[:PLAN_ROWS],
                       planned=len(plan), may_cascade=access.may("admin"))


def change_link(view, obj):
    """Link or unlink (``action``) the object ``other`` through the declared ``relation``."""
    cls = type(obj)
    relation = request.form.get("relation", "")
    back = url_for(".details_view", id=obj.id, tab=relation)
    if relation not in cls.links:
        flash(f"{relation!r} is not a link of {obj.resource}; its links are "
              f"{', '.join(cls.links) or 'none'}", "error")
        return redirect(back)
    target_cls = getattr(cls, relation).property.mapper.class_
    other_id = request.form.get("other", "").strip()
    try:
        target = view.session.get(target_cls, other_id)
        if target is None:
            raise NotFound(f"{target_cls.resource} {other_id!r} does not exist", field=relation)
        linked = getattr(obj, relation)
        if request.form.get("action") == "unlink":
            if target in linked:
                linked.remove(target)
        elif target not in linked:
            linked.append(target)
        view.session.commit()
    except QaironError as refusal:
        view.session.rollback()
        flash(refusal.detail, "error")
    return redirect(back)
