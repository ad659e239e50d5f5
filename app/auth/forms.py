"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.validators import normalize_username, username_problem

PASSWORD_MIN = 8


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class RegisterForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired()],
        filters=[normalize_username],
        description=_l("3–30 letters, digits, _ . or -. Shown on your profile."),
    )
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
        filters=[lower],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200, message=_l("At least 8 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Create account"))

    def validate_username(self, field):
        problem = username_problem(field.data)
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    login = StringField(_l("Username or email"), validators=[DataRequired()], filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200, message=_l("At least 8 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(message=_l("Enter a valid email address."))], filters=[lower]
    )
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200, message=_l("At least 8 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Set new password"))
