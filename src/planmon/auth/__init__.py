"""Authentication and authorisation: users, argon2 passwords, API tokens, roles and scopes."""

from planmon.auth.permissions import PERMISSIONS, ROLES, allowed, may_act_for, units_in_scope
from planmon.auth.users import (
    User,
    UserError,
    add_user,
    authenticate,
    change_password,
    create_token,
    get_user,
    list_tokens,
    list_users,
    revoke_token,
    revoke_tokens,
    secret_key,
    update_user,
    user_for_token,
)

__all__ = [
    "PERMISSIONS",
    "ROLES",
    "User",
    "UserError",
    "add_user",
    "allowed",
    "authenticate",
    "change_password",
    "create_token",
    "get_user",
    "list_tokens",
    "list_users",
    "may_act_for",
    "revoke_token",
    "revoke_tokens",
    "secret_key",
    "units_in_scope",
    "update_user",
    "user_for_token",
]
