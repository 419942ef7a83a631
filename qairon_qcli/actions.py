"""Actions beyond CRUD, generated from the schema as pynetbox does for detail routes.

A resource's ``actions`` in ``schema.json`` (``network allocate_subnet``,
``deployment provenance``, ``capacity report``, the walks every resource has)
each become a sub-command of ``qcli RESOURCE`` and a method of
:class:`~qairon_qcli.controllers.QCLIController`:

* an action of several resources takes ``resource`` first:
  ``qcli.trace(resource='service', resource_id=ID)``;
* an action of one resource takes its ID as ``<resource>_id``:
  ``qcli.allocate_subnet(network_id=ID, additional_mask_bits=6, name='eks0')``;
* a collection action is named ``<resource>_<action>``:
  ``qcli.capacity_report(environment='prod')``.

Positional arguments follow the ID; options come after them with their
defaults (None, or False for a flag). Nothing here names a resource.
"""
from qairon_qcli.client import InvalidInput, quote_id
from qairon_qcli.insight import present
from qairon_qcli.values import coerce

ITEM = "item"


def add_action_commands(command, id_argument, entry):
    """Add a sub-command per action of a resource's schema ``entry``.

    ``command(name, help)`` makes a sub-command parser and
    ``id_argument(parser, help)`` adds its ID argument (both from
    :func:`qairon_qcli.parser.add_resource_commands`).
    """
    for spec in entry.get("actions", []):
        sub = command(spec["name"], spec["help"])
        if spec["scope"] == ITEM:
            id_argument(sub, spec["id_help"])
        for arg in spec["args"]:
            sub.add_argument(arg["name"], metavar=arg.get("metavar") or arg["name"].upper(),
                             type=int if arg["type"] == "integer" else None, help=arg["help"])
        for option in spec["options"]:
            flag = "--" + option["name"].replace("_", "-")
            if flag in sub._option_string_actions:  # a global option (--as-of) already says it
                continue
            if option["type"] == "flag":
                sub.add_argument(flag, dest=option["name"], action="store_true",
                                 help=option["help"])
            else:
                sub.add_argument(flag, dest=option["name"],
                                 metavar=option.get("metavar") or option["name"].upper(),
                                 type=int if option["type"] == "integer" else None,
                                 help=option["help"])
        sub.set_defaults(handler=run_action, action_name=spec["name"])


def run_action(args, controller):
    """The handler of every action sub-command: the parsed arguments to :meth:`act`."""
    spec = controller.schema.action(args.resource, args.action_name)
    values = {a["name"]: getattr(args, a["name"], None) for a in spec["args"] + spec["options"]}
    return controller.act(args.resource, args.action_name,
                          getattr(args, "resource_id", None), **values)


def _request(spec, values):
    """``(params, body, prints)`` of one call of the action ``spec`` with ``values``."""
    params, body, prints = dict(spec.get("query", {})), {}, spec["prints"]
    for arg in spec["args"] + spec["options"]:
        name, value = arg["name"], values.get(arg["name"])
        if arg["type"] == "flag":
            if value:
                params.update(arg.get("sets", {}))
                prints = arg.get("prints", prints)
            continue
        if value is None:
            continue
        value = coerce(value, arg["type"], name)
        if arg["send"] == "query":
            params[name] = str(value)
        else:
            body[name] = value
    return params, body, prints


def _method_name(resource, spec):
    return f"{resource}_{spec['name']}" if spec["scope"] != ITEM else spec["name"]


class ActionCommands:
    """The schema's actions as methods of :class:`~qairon_qcli.controllers.QCLIController`."""

    def act(self, resource, action, resource_id=None, **values):
        """Run ``action`` of ``resource`` (on ``resource_id`` for an item action)."""
        self._plural(resource)
        spec = self.schema.action(resource, action)
        if spec is None:
            owners = self.action_owners(action)
            raise InvalidInput(f"{action} applies to {' and '.join(owners) or 'no resource'}, "
                               f"not {resource}")
        missing = [a["name"] for a in spec["args"] if values.get(a["name"]) is None]
        if spec["scope"] == ITEM and resource_id is None:
            missing.insert(0, "resource_id")
        if missing:
            raise InvalidInput(f"{resource} {action} needs {', '.join(missing)}")
        params, body, prints = _request(spec, values)
        path = spec["path"].replace("{id}", quote_id(resource_id or ""))
        data = self.client.act(spec["method"], path, params=params or None, body=body or None,
                               allocates=spec.get("allocates", False))
        return present(self.output, prints, data)

    def action_owners(self, action):
        """The resources that declare the item or collection ``action``."""
        return [name for name in self.schema.names() if self.schema.action(name, action)]

    def action_method(self, name):
        """The method ``name`` generated from the schema's actions, or None."""
        owners = [(resource, spec) for resource in self.schema.names()
                  for spec in self.schema.resource(resource).get("actions", [])
                  if _method_name(resource, spec) == name]
        if not owners:
            return None
        resource, spec = owners[0]
        single = len(owners) == 1
        signature = _signature(resource, spec, single)

        def method(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = dict(bound.arguments)
            target = values.pop("resource")
            resource_id = values.pop(f"{resource}_id" if single else "resource_id", None)
            return self.act(target, spec["name"], resource_id, **values)

        method.__name__ = name
        method.__signature__ = signature
        method.__doc__ = spec["help"]
        return method

    def action_methods(self):
        """The names of every method generated from the schema's actions."""
        return sorted({_method_name(resource, spec) for resource in self.schema.names()
                       for spec in self.schema.resource(resource).get("actions", [])})


def _signature(resource, spec, single):
    """``([resource,] id, *args, *options[, resource=<the one>])`` of an action's method."""
    import inspect  # only Python callers need it; qcli's start-up does not
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [] if single else [inspect.Parameter("resource", kind)]
    if spec["scope"] == ITEM:
        params.append(inspect.Parameter(f"{resource}_id" if single else "resource_id", kind))
    params += [inspect.Parameter(a["name"], kind) for a in spec["args"]]
    params += [inspect.Parameter(o["name"], kind, default=False if o["type"] == "flag" else None)
               for o in spec["options"]]
    if single:
        params.append(inspect.Parameter("resource", kind, default=resource))
    return inspect.Signature(params)
