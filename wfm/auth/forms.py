from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in")


class LogoutForm(FlaskForm):
    """Signing out is a POST with a CSRF token, so a link elsewhere cannot sign a user out."""


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=256)])
    repeat = PasswordField("New password again", validators=[DataRequired(), Length(max=256)])
