"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.passwords import PASSWORD_MAX, PASSWORD_MIN, password_problem
from app.auth.validators import normalize_username, username_problem

PASSWORD_HELP = _l(
    "%(min)d to %(max)d characters, hard to guess: a few unrelated words work well.", min=PASSWORD_MIN, max=PASSWORD_MAX
)


def check_password(password: str, *personal: str | None) -> None:
    """Raise the reason a new password is refused (too short, too long, easy to guess)."""
    problem = password_problem(password or "", *personal)
    if problem:
        raise ValidationError(problem)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class RegisterForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired()],
        filters=[normalize_username],
        render_kw={"autofocus": True},
        description=_l("3–30 letters, digits, _ . or -. Shown on your profile."),
    )
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
        filters=[lower],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()], description=PASSWORD_HELP)
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Create account"))

    def validate_username(self, field):
        problem = username_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_password(self, field):
        check_password(field.data, self.username.data, self.email.data)


class LoginForm(FlaskForm):
    login = StringField(
        _l("Username or email"), validators=[DataRequired()], filters=[strip], render_kw={"autofocus": True}
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()], description=PASSWORD_HELP)
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))

    def validate_password(self, field):
        check_password(field.data, current_user.username, current_user.email)


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(message=_l("Enter a valid email address."))], filters=[lower]
    )
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    """Needs `user`: the account the reset link belongs to (its name is not a password)."""

    password = PasswordField(_l("New password"), validators=[DataRequired()], description=PASSWORD_HELP)
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Set new password"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field):
        check_password(field.data, self.user.username, self.user.email)
