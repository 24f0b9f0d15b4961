"""StreamField blocks for article bodies (正文)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

TABLE_OPTIONS = {
    "minSpareRows": 0,
    "startRows": 3,
    "startCols": 3,
    "colHeaders": False,
    "rowHeaders": False,
    "contextMenu": True,
    "editor": "text",
    "stretchH": "all",
    "language": "zh-CN",
}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Image caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Attachment"))
    title = blocks.CharBlock(label=_("Display name"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Attachment")
        template = "content/blocks/attachment.html"


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Table caption"), required=False, max_length=200)
    table = TableBlock(label=_("Table"), table_options=TABLE_OPTIONS)

    class Meta:
        icon = "table"
        label = _("Table")
        template = "content/blocks/table.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"))
    image = ImageBlock()
    table = TableWithCaptionBlock()
    attachment = AttachmentBlock()

    class Meta:
        label = _("Body")
