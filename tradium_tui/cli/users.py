"""``users`` and ``roles``: manage who may use the program and what each role may do.

All of these need the manage-users right of the acting user.  On a database without
users, the first login becomes its admin (and is told so), so these commands also
bootstrap a new installation.
"""

from __future__ import annotations

import argparse

from tradium_tui.cli.output import table
from tradium_tui.services.access import LEVELS, TABS

ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from tradium_tui.services.users import RIGHTS

    users = sub.add_parser("users", help="add, list and (de)activate users", parents=[common])
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True,
                                     parser_class=type(users))

    p = users_sub.add_parser("add", help="add a user (their OS or SSH login name)",
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE")
    p.add_argument("--name", dest="display_name", default="", metavar='"Full Name"')
    p.set_defaults(handler=users_add)

    p = users_sub.add_parser("list", help="list the users", parents=[common])
    p.set_defaults(handler=users_list)

    p = users_sub.add_parser("set-role", help="give a user another role", parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("role", metavar="ROLE")
    p.set_defaults(handler=users_set_role)

    p = users_sub.add_parser("set-language",
                             help="a user's interface language (wins over the config's)",
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("language", metavar="LANGUAGE", help="nl, fr, es, en, or default")
    p.set_defaults(handler=users_set_language)

    p = users_sub.add_parser("deactivate", help="stop a user from logging in", parents=[common])
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=users_deactivate)

    p = users_sub.add_parser("activate", help="let a deactivated user log in again",
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=users_activate)

    roles = sub.add_parser("roles", help="list roles, grant tab levels and rights",
                           parents=[common])
    roles_sub = roles.add_subparsers(dest="roles_command", metavar="ACTION", required=True,
                                     parser_class=type(roles))

    p = roles_sub.add_parser("list", help="list the roles with their levels and rights",
                             parents=[common])
    p.set_defaults(handler=roles_list)

    p = roles_sub.add_parser("add", help="add a role (sees nothing until granted)",
                             parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("--label", default="", help="the name shown in the program")
    p.add_argument("--like", metavar="ROLE", default=None,
                   help="copy levels, rights and tab order from this role")
    p.set_defaults(handler=roles_add)

    p = roles_sub.add_parser("rename", help="rename a role", parents=[common])
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--label", default=None, help="also set the label")
    p.set_defaults(handler=roles_rename)

    p = roles_sub.add_parser("grant", help="set a role's level for a tab", parents=[common])
    p.add_argument("role", metavar="ROLE")
    p.add_argument("tab", metavar="TAB", help=f"one of: {', '.join(TABS)}")
    p.add_argument("level", metavar="LEVEL", help=f"one of: {'|'.join(LEVELS)}")
    p.set_defaults(handler=roles_grant)

    p = roles_sub.add_parser("set", help="give or take a right", parents=[common])
    p.add_argument("role", metavar="ROLE")
    p.add_argument("right", metavar="RIGHT", help=f"one of: {'|'.join(RIGHTS)}")
    p.add_argument("value", metavar="on|off")
    p.set_defaults(handler=roles_set)

    p = roles_sub.add_parser("order", help="set the default tab order of a role",
                             parents=[common])
    p.add_argument("role", metavar="ROLE")
    p.add_argument("tabs", metavar="TAB", nargs="+",
                   help="tabs in the wanted order (the others follow in their usual order)")
    p.set_defaults(handler=roles_order)


# --------------------------------------------------------------------------- helpers


def _actor(ctx):
    """Open the database and resolve the acting user (said on stderr when it bootstrapped)."""
    ctx.open_db()
    return ctx.actor()


def _print_user(verb: str, info) -> None:
    state = "active" if info.active else "deactivated"
    print(f"{verb} {info.username} (role {info.role}, {state}).")


# --------------------------------------------------------------------------- users


def users_add(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    info = users.add_user(actor, ctx.args.name, ctx.args.role, ctx.args.display_name)
    _print_user("Added", info)
    return 0


def users_list(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    rows = [
        [u.username, u.role, "yes" if u.active else "no", u.language or "-", u.display_name]
        for u in users.list_users(actor)
    ]
    print(table(rows, ["USER", "ROLE", "ACTIVE", "LANGUAGE", "NAME"]))
    return 0


def users_set_role(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    _print_user("Changed", users.set_user_role(actor, ctx.args.name, ctx.args.role))
    return 0


def users_set_language(ctx) -> int:
    from tradium_tui.i18n import language_name
    from tradium_tui.services import users

    actor = _actor(ctx)
    info = users.set_user_language(actor, ctx.args.name, ctx.args.language)
    if info.language:
        print(f"{info.username} now works in {language_name(info.language)} ({info.language}).")
    else:
        print(f"{info.username} now works in the configured language.")
    return 0


def users_deactivate(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    _print_user("Deactivated", users.deactivate_user(actor, ctx.args.name))
    return 0


def users_activate(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    _print_user("Activated", users.activate_user(actor, ctx.args.name))
    return 0


# --------------------------------------------------------------------------- roles


def _describe_role(role) -> str:
    rights = ", ".join(role.rights) or "no rights"
    members = f"{role.members} user" + ("" if role.members == 1 else "s")
    lines = [f"{role.name} ({role.label}): {rights}; {members}"]
    for level in reversed(LEVELS):
        tabs = [tab for tab in TABS if role.levels.get(tab) == level]
        lines.append(f"  {level + ':':8}{', '.join(tabs) if tabs else '-'}")
    lines.append(f"  {'order:':8}{', '.join(role.tab_order)}")
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
    print(f"Added role {role.name} ({role.label}).")
    return 0


def roles_rename(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    role = users.rename_role(actor, ctx.args.old, ctx.args.new)
    if ctx.args.label is not None:
        role = users.set_role_label(actor, role.name, ctx.args.label)
    print(f"Renamed role {ctx.args.old} to {role.name} ({role.label}).")
    return 0


def roles_grant(ctx) -> int:
    from tradium_tui.services import users

    actor = _actor(ctx)
    role = users.grant(actor, ctx.args.role, ctx.args.tab, ctx.args.level)
    tab = users.check_tab(ctx.args.tab)
    print(f"Role {role.name}: {tab} is now {role.levels[tab]}.")
    return 0


def roles_set(ctx) -> int:
    from tradium_tui.services import users
    from tradium_tui.services.errors import ValidationError

    value = ON_OFF.get(ctx.args.value.strip().lower())
    if value is None:
        raise ValidationError({"value": f"'{ctx.args.value}' is not on or off."})
    actor = _actor(ctx)
    role = users.set_right(actor, ctx.args.role, ctx.args.right, value)
    print(f"Role {role.name}: {ctx.args.right} is now {'on' if value else 'off'}.")
    return 0


def roles_order(ctx) -> int:
    from tradium_tui.services import tab_order

    tabs = [t for part in ctx.args.tabs for t in part.split(",") if t.strip()]
    actor = _actor(ctx)
    order = tab_order.set_role_tab_order(actor, ctx.args.role, tabs)
    print(f"Role {ctx.args.role.strip().lower()}: tab order {', '.join(order)}.")
    return 0
