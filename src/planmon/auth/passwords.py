"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile) and the password rule.

The rule (NIST SP 800-63B §3.1.1.2): at least :data:`MIN_LENGTH` characters, and not a password that
attackers try first. "Tried first" is judged by zxcvbn (a maintained estimator shipping the 30 000 most
common passwords plus dictionaries, keyboard walks, repeats and sequences): its ``score`` below
:data:`MIN_SCORE` means guessable in under ~10⁶ tries. No composition rules (they make passwords worse).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from planmon.i18n import Message

_hasher = PasswordHasher()
# a real hash to verify against when the user does not exist, so timing does not reveal it
_DUMMY = _hasher.hash("planmon-no-such-user")

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 2


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, username: str = "") -> Message | None:
    """Why ``password`` is refused (zh and en), or ``None`` when it may be used."""
    if len(password) < MIN_LENGTH:
        return Message(f"密码至少需要 {MIN_LENGTH} 个字符（建议用几个词组成的短语）",
                       f"a password needs at least {MIN_LENGTH} characters (a phrase of a few words works well)")
    if len(password) > MAX_LENGTH:
        return Message(f"密码最多 {MAX_LENGTH} 个字符", f"a password has at most {MAX_LENGTH} characters")
    from zxcvbn import zxcvbn
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    if password.lower() in _common(FREQUENCY_LISTS):
        return Message("这是最常见的密码之一，攻击者会最先尝试：请换一个",
                       "this is one of the most common passwords, tried first by attackers: choose another")
    if username and username.lower() in password.lower():
        return Message("密码不能包含用户名", "a password must not contain the username")
    if zxcvbn(password[:100], user_inputs=[username, "planmon"])["score"] < MIN_SCORE:
        return Message("密码太容易猜到（如连续数字、键盘序列、重复字符或常见词）：请换一个",
                       "the password is too easy to guess (a sequence, keyboard walk, repeat or common word): "
                       "choose another")
    return None


_COMMON: frozenset[str] | None = None


def _common(lists: dict[str, list[str]]) -> frozenset[str]:
    global _COMMON
    if _COMMON is None:
        _COMMON = frozenset(lists["passwords"])
    return _COMMON
