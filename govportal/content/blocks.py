"""StreamField blocks for article bodies (正文)."""

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
    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "content/blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="附件")
    title = blocks.CharBlock(label="显示名称", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "附件"
        template = "content/blocks/attachment.html"


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label="表格标题", required=False, max_length=200)
    table = TableBlock(label="表格", table_options=TABLE_OPTIONS)

    class Meta:
        icon = "table"
        label = "表格"
        template = "content/blocks/table.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="段落")
    image = ImageBlock()
    table = TableWithCaptionBlock()
    attachment = AttachmentBlock()

    class Meta:
        label = "正文"
