"""Forum forms. Length limits are checked in the services too, with a clear message."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.edits import EditVersionField, FormTokenField
from app.forum.services import TITLE_MAX


def strip(value):
    return value.strip() if isinstance(value, str) else value


# The body limit is checked by the service (it says how long the text was); the
# field's maxlength only guides the browser, with slack for the quote markup.
BODY_HINT = _l("Markdown: **bold**, *italic*, > quote, `code`, [link](https://…), @username.")


class TopicForm(FlaskForm):
    form_token = FormTokenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)], filters=[strip])
    body = TextAreaField(_l("Message"), description=BODY_HINT, render_kw={"rows": 10, "data-editor": "1"})
    submit = SubmitField(_l("Create topic"))


class ReplyForm(FlaskForm):
    form_token = FormTokenField()
    body = TextAreaField(_l("Your reply"), description=BODY_HINT, render_kw={"rows": 6, "data-editor": "1"})
    quote_id = HiddenField()
    submit = SubmitField(_l("Post reply"))


class EditPostForm(FlaskForm):
    edit_version = EditVersionField()
    title = StringField(_l("Title"), validators=[Optional(), Length(max=TITLE_MAX)], filters=[strip])
    body = TextAreaField(_l("Message"), description=BODY_HINT, render_kw={"rows": 10, "data-editor": "1"})
    submit = SubmitField(_l("Save changes"))


class MoveTopicForm(FlaskForm):
    category = SelectField(_l("Move to category"), coerce=int)
    submit = SubmitField(_l("Move"))


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)], filters=[strip])
    slug = StringField(
        _l("Address (slug)"),
        validators=[Optional(), Length(max=80)],
        filters=[strip],
        description=_l("Letters, digits and dashes; made from the name when left empty."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=300)], filters=[strip])
    # Shown instead of the name and description above to visitors reading in that language.
    name_ru = StringField(_l("Name in Russian"), validators=[Length(max=80)], filters=[strip])
    description_ru = TextAreaField(_l("Description in Russian"), validators=[Length(max=300)], filters=[strip])
    name_kk = StringField(_l("Name in Kazakh"), validators=[Length(max=80)], filters=[strip])
    description_kk = TextAreaField(_l("Description in Kazakh"), validators=[Length(max=300)], filters=[strip])
    submit = SubmitField(_l("Save category"))


class NewCategoryForm(CategoryForm):
    form_token = FormTokenField()  # one category per submitted form
