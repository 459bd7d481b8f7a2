"""``users`` and ``roles``: manage who may use the program and what each role may do.

All of these need the manage-users right of the acting user.  On a database without
users, the first login becomes its admin (and is told so), so these commands also
bootstrap a new installation.
"""

from __future__ import annotations

import argparse

from tradium_tui.cli.output import table
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.services.access import LEVELS, TABS

ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from tradium_tui.services.users import RIGHTS

    users = sub.add_parser("users", help=_("add, list and (de)activate users"), parents=[common])
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True,
                                     parser_class=type(users))

    p = users_sub.add_parser("add", help=_("add a user (their OS or SSH login name)"),
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE")
    p.add_argument("--name", dest="display_name", default="", metavar='"Full Name"')
    p.set_defaults(handler=users_add)

    p = users_sub.add_parser("list", help=_("list the users"), parents=[common])
    p.set_defaults(handler=users_list)

    p = users_sub.add_parser("set-role", help=_("give a user another role"), parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("role", metavar="ROLE")
    p.set_defaults(handler=users_set_role)

    p = users_sub.add_parser("set-language",
                             help=_("a user's interface language (wins over the config's)"),
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("language", metavar="LANGUAGE", help=_("nl, fr, es, en, or default"))
    p.set_defaults(handler=users_set_language)

    p = users_sub.add_parser("deactivate", help=_("stop a user from logging in"), parents=[common])
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=users_deactivate)

    p = users_sub.add_parser("activate", help=_("let a deactivated user log in again"),
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=users_activate)

    roles = sub.add_parser("roles", help=_("list roles, grant tab levels and rights"),
                           parents=[common])
    roles_sub = roles.add_subparsers(dest="roles_command", metavar="ACTION", required=True,
                                     parser_class=type(roles))

    p = roles_sub.add_parser("list", help=_("list the roles with their levels and rights"),
                             parents=[common])
    p.set_defaults(handler=roles_list)

    p = roles_sub.add_parser("add", help=_("add a role (sees nothing until granted)"),
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("--label", default="", help=_("the name shown in the program"))
    p.add_argument("--like", metavar="ROLE", default=None,
                   help=_("copy levels, rights and tab order from this role"))
    p.set_defaults(handler=roles_add)

    p = roles_sub.add_parser("rename", help=_("rename a role"), parents=[common])
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--label", default=None, help=_("also set the label"))
    p.set_defaults(handler=roles_rename)

    p = roles_sub.add_parser("grant", help=_("set a role's level for a tab"), parents=[common])
    p.add_argument("role", metavar="ROLE")
    p.add_argument("tab", metavar="TAB", help=_("one of: {tabs}").format(tabs=', '.join(TABS)))
    p.add_argument("level", metavar="LEVEL", help=_("one of: {levels}").format(levels='|'.join(LEVELS)))
    p.set_defaults(handler=roles_grant)

    p = roles_sub.add_parser("set", help=_("give or take a right"), parents=[common])
    p.add_argument("role", metavar="ROLE")
    p.add_argument("right", metavar="RIGHT", help=_("one of: {rights}").format(rights='|'.join(RIGHTS)))
    p.add_argument("value", metavar="on|off")
    p.set_defaults(handler=roles_set)

    p = roles_sub.add_parser("order", help=_("set the default tab order of a role"),
                             parents=[common])
    p.add_argument("role", metavar="ROLE")
    p.add_argument("tabs", metavar="TAB", nargs="+",
                   help=_("tabs in the wanted order (the others follow in their usual order)"))
    p.set_defaults(handler=roles_order)


# --------------------------------------------------------------------------- helpers


def _actor(ctx):
    """Open the database and resolve the acting user (said on stderr when it bootstrapped)."""
    ctx.open_db()
    return ctx.actor()


def _print_user(said: str, info) -> None:
    """``said``: one of the N_ sentences below, with {username}, {role} and {state}."""
    state = _("active") if info.active else _("deactivated")
    print(_(said).format(username=info.username, role=info.role, state=state))


# --------------------------------------------------------------------------- users


def users_add(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    info = users.add_user(actor, ctx.args.name, ctx.args.role, ctx.args.display_name)
    _print_user(N_("Added {username} (role {role}, {state})."), info)
    return 0


def users_list(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    rows = [
        [u.username, u.role, _("yes") if u.active else _("no"), u.language or "-", u.display_name]
        for u in users.list_users(actor)
    ]
    # TRANSLATORS: the column headings of 'users list', in capitals.
    print(table(rows, [_("USER"), _("ROLE"), _("ACTIVE"), _("LANGUAGE"), _("NAME")]))
    return 0


def users_set_role(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    _print_user(N_("Changed {username} (role {role}, {state})."), users.set_user_role(actor, ctx.args.name, ctx.args.role))
    return 0


def users_set_language(ctx) -> int:
    from tradium_tui.i18n import language_name
    from tradium_tui.services import users

    actor = _actor(ctx)
    info = users.set_user_language(actor, ctx.args.name, ctx.args.language)
    if info.language:
        print(_("{username} now works in {language} ({language2}).").format(username=info.username, language=language_name(info.language), language2=info.language))
    else:
        print(_("{username} now works in the configured language.").format(username=info.username))
    return 0


def users_deactivate(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    _print_user(N_("Deactivated {username} (role {role}, {state})."), users.deactivate_user(actor, ctx.args.name))
    return 0


def users_activate(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    _print_user(N_("Activated {username} (role {role}, {state})."), users.activate_user(actor, ctx.args.name))
    return 0


# --------------------------------------------------------------------------- roles


def _describe_role(role) -> str:
    rights = ", ".join(role.rights) or _("no rights")
    members = ngettext("{count} user", "{count} users", role.members).format(count=role.members)
    lines = [f"{role.name} ({role.label}): {rights}; {members}"]
    for level in reversed(LEVELS):
        tabs = [tab for tab in TABS if role.levels.get(tab) == level]
        lines.append(f"  {level + ':':8}{', '.join(tabs) if tabs else '-'}")
    lines.append(f"  {_('order:'):8}{', '.join(role.tab_order)}")
    return "\n".join(lines)


def roles_list(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    print("\n".join(_describe_role(r) for r in users.list_roles(actor)))
    return 0


def roles_add(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    role = users.add_role(actor, ctx.args.name, ctx.args.label, like=ctx.args.like)
    print(_("Added role {name} ({label}).").format(name=role.name, label=role.label))
    return 0


def roles_rename(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    role = users.rename_role(actor, ctx.args.old, ctx.args.new)
    if ctx.args.label is not None:
        role = users.set_role_label(actor, role.name, ctx.args.label)
    print(_("Renamed role {old} to {name} ({label}).").format(old=ctx.args.old, name=role.name, label=role.label))
    return 0


def roles_grant(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    role = users.grant(actor, ctx.args.role, ctx.args.tab, ctx.args.level)
    tab = users.check_tab(ctx.args.tab)
    print(_("Role {name}: {tab} is now {levels}.").format(name=role.name, tab=tab, levels=role.levels[tab]))
    return 0


def roles_set(ctx) -> int:
    from tradium_tui.services import users
    from tradium_tui.services.errors import ValidationError

    value = ON_OFF.get(ctx.args.value.strip().lower())
    if value is None:
        raise ValidationError({"value": _("'{value}' is not on or off.").format(value=ctx.args.value)})
    actor = _actor(ctx)
    role = users.set_right(actor, ctx.args.role, ctx.args.right, value)
    print(_("Role {name}: {right} is now {value}.").format(name=role.name, right=ctx.args.right, value=_('on') if value else _('off')))
    return 0


def roles_order(ctx) -> int:
    from tradium_tui.services import tab_order

    tabs = [t for part in ctx.args.tabs for t in part.split(",") if t.strip()]
    actor = _actor(ctx)
    order = tab_order.set_role_tab_order(actor, ctx.args.role, tabs)
    print(_("Role {role}: tab order {order}.").format(role=ctx.args.role.strip().lower(), order=', '.join(order)))
    return 0
