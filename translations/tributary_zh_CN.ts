<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ErrorText</name>
    <message>
        <source>%1: %2</source>
        <comment>error phrase: engine detail</comment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Invalid input</source>
        <translation>输入无效</translation>
    </message>
    <message>
        <source>Not supported yet</source>
        <translation>尚不支持</translation>
    </message>
    <message>
        <source>No such download</source>
        <translation>没有这个下载任务</translation>
    </message>
    <message>
        <source>The download engine is shutting down</source>
        <translation>下载引擎正在关闭</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>内部错误</translation>
    </message>
    <message>
        <source>The disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>Permission denied</source>
        <translation>权限不足</translation>
    </message>
    <message>
        <source>A file is missing</source>
        <translation>文件缺失</translation>
    </message>
    <message>
        <source>Disk read or write error</source>
        <translation>磁盘读写错误</translation>
    </message>
    <message>
        <source>Host name not found</source>
        <translation>找不到主机名</translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>Connection reset</source>
        <translation>连接被重置</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Secure connection failed</source>
        <translation>安全连接失败</translation>
    </message>
    <message>
        <source>Not found on the server (HTTP 404)</source>
        <translation>服务器上找不到该文件（HTTP 404）</translation>
    </message>
    <message>
        <source>Access denied by the server (HTTP 403)</source>
        <translation>服务器拒绝访问（HTTP 403）</translation>
    </message>
    <message>
        <source>No longer on the server (HTTP 410)</source>
        <translation>文件已从服务器移除（HTTP 410）</translation>
    </message>
    <message>
        <source>The file changed on the server (HTTP 412)</source>
        <translation>服务器上的文件已变更（HTTP 412）</translation>
    </message>
    <message>
        <source>The server refused the requested range (HTTP 416)</source>
        <translation>服务器拒绝了请求的范围（HTTP 416）</translation>
    </message>
    <message>
        <source>The server refused the request</source>
        <translation>服务器拒绝了请求</translation>
    </message>
    <message>
        <source>Server error</source>
        <translation>服务器错误</translation>
    </message>
    <message>
        <source>Too many redirects</source>
        <translation>重定向次数过多</translation>
    </message>
    <message>
        <source>Redirect loop</source>
        <translation>重定向循环</translation>
    </message>
    <message>
        <source>The server sent something other than the file</source>
        <translation>服务器返回的不是所需的文件</translation>
    </message>
    <message>
        <source>The file changed on the server</source>
        <translation>服务器上的文件已变更</translation>
    </message>
    <message>
        <source>Malformed response</source>
        <translation>响应格式错误</translation>
    </message>
    <message>
        <source>Checksum mismatch</source>
        <translation>校验和不匹配</translation>
    </message>
    <message>
        <source>Invalid torrent file</source>
        <translation>无效的种子文件</translation>
    </message>
    <message>
        <source>Invalid magnet link</source>
        <translation>无效的磁力链接</translation>
    </message>
    <message>
        <source>Tracker error</source>
        <translation>Tracker 错误</translation>
    </message>
    <message>
        <source>Error %1</source>
        <translation>错误 %1</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1/s</source>
        <comment>transfer rate</comment>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1s</source>
        <comment>seconds</comment>
        <translation>%1秒</translation>
    </message>
    <message>
        <source>%1m %2s</source>
        <comment>minutes seconds</comment>
        <translation>%1分%2秒</translation>
    </message>
    <message>
        <source>%1h %2m</source>
        <comment>hours minutes</comment>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1d %2h</source>
        <comment>days hours</comment>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>%1%</source>
        <comment>percentage</comment>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1 B</source>
        <comment>bytes</comment>
        <translation>%1 B</translation>
    </message>
</context>
<context>
    <name>tributary::ui::EngineBridge</name>
    <message>
        <source>The download engine is not running.</source>
        <translation>下载引擎未运行。</translation>
    </message>
    <message>
        <source>Enter a URL, a magnet link or a .torrent file.</source>
        <translation>请输入网址、磁力链接或 .torrent 文件。</translation>
    </message>
</context>
<context>
    <name>tributary::ui::MainWindow</name>
    <message>
        <source>Tributary</source>
        <translation>Tributary</translation>
    </message>
    <message>
        <source>Add &amp;Torrent…</source>
        <translation>添加种子(&amp;T)…</translation>
    </message>
    <message>
        <source>Add Torrent</source>
        <translation>添加种子</translation>
    </message>
    <message>
        <source>Add one or more .torrent files</source>
        <translation>添加一个或多个 .torrent 文件</translation>
    </message>
    <message>
        <source>Add &amp;Magnet or URL…</source>
        <translation>添加磁力链接或网址(&amp;M)…</translation>
    </message>
    <message>
        <source>Ctrl+U</source>
        <translation>Ctrl+U</translation>
    </message>
    <message>
        <source>Add Link</source>
        <translation>添加链接</translation>
    </message>
    <message>
        <source>Add a magnet link or an HTTP(S) URL</source>
        <translation>添加磁力链接或 HTTP(S) 网址</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Resume the selected downloads</source>
        <translation>继续选中的下载任务</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <source>Pause the selected downloads</source>
        <translation>暂停选中的下载任务</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>删除(&amp;M)…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove the selected downloads</source>
        <translation>删除选中的下载任务</translation>
    </message>
    <message>
        <source>Resume &amp;All</source>
        <translation>全部继续(&amp;A)</translation>
    </message>
    <message>
        <source>Pause A&amp;ll</source>
        <translation>全部暂停(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About Tributary</source>
        <translation>关于 Tributary(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Downloads</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>The download engine could not start.</source>
        <translation>下载引擎无法启动。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Could not add %1: %2</source>
        <translation>无法添加 %1：%2</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <source>Add Torrent Files</source>
        <translation>添加种子文件</translation>
    </message>
    <message>
        <source>Torrent files (*.torrent);;All files (*)</source>
        <translation>种子文件 (*.torrent);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Add Magnet or URL</source>
        <translation>添加磁力链接或网址</translation>
    </message>
    <message>
        <source>Magnet link or HTTP(S) URL:</source>
        <translation>磁力链接或 HTTP(S) 网址：</translation>
    </message>
    <message>
        <source>Remove Downloads</source>
        <translation>删除下载任务</translation>
    </message>
    <message>
        <source>Remove “%1” from the list?</source>
        <translation>要从列表中删除“%1”吗？</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n downloads from the list?</source>
        <translation>
            <numerusform>要从列表中删除 %n 个下载任务吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Also delete the downloaded files</source>
        <translation>同时删除已下载的文件</translation>
    </message>
    <message>
        <source>About Tributary</source>
        <translation>关于 Tributary</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tributary %1&lt;/h3&gt;&lt;p&gt;One download, many sources: BitTorrent peers, the origin URL and mirrors feed the same file.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Tributary %1&lt;/h3&gt;&lt;p&gt;一个下载任务，多个来源：BitTorrent 节点、原始网址和镜像同时为同一个文件提供数据。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Finished: %1</source>
        <translation>已完成：%1</translation>
    </message>
    <message>
        <source>Failed: %1: %2</source>
        <translation>失败：%1：%2</translation>
    </message>
    <message>
        <source>download %1</source>
        <translation>下载任务 %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>&amp;Paste Links</source>
        <translation>粘贴链接(&amp;P)</translation>
    </message>
    <message>
        <source>Add every link in the clipboard</source>
        <translation>添加剪贴板中的所有链接</translation>
    </message>
    <message>
        <source>The clipboard holds no link.</source>
        <translation>剪贴板中没有链接。</translation>
    </message>
    <message>
        <source>Paste Links</source>
        <translation>粘贴链接</translation>
    </message>
</context>
<context>
    <name>tributary::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Global speed limits</source>
        <translation>全局速度限制</translation>
    </message>
    <message>
        <source>&amp;Download:</source>
        <translation>下载(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Upload:</source>
        <translation>上传(&amp;U)：</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>不限速</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TaskListModel</name>
    <message>
        <source>%1
Saved in: %2</source>
        <translation>%1
保存位置：%2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Down Speed</source>
        <translation>下载速度</translation>
    </message>
    <message>
        <source>Up Speed</source>
        <translation>上传速度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Seeds / Peers</source>
        <translation>种子 / 用户</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>分享率</translation>
    </message>
    <message>
        <source>Added On</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Checking</source>
        <translation>校验中</translation>
    </message>
    <message>
        <source>Fetching metadata</source>
        <translation>获取元数据中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Seeding</source>
        <translation>做种中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TaskTableView</name>
    <message>
        <source>No downloads yet.
Add a torrent file, a magnet link or a URL to start.</source>
        <translation>还没有下载任务。
添加种子文件、磁力链接或网址即可开始。</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TransferStatusWidget</name>
    <message>
        <source>unlimited</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>↓ %1</source>
        <translation>↓ %1</translation>
    </message>
    <message>
        <source>↑ %1</source>
        <translation>↑ %1</translation>
    </message>
    <message>
        <source>Download speed (limit: %1)
Downloaded this session: %2</source>
        <translation>下载速度（限制：%1）
本次会话已下载：%2</translation>
    </message>
    <message>
        <source>Upload speed (limit: %1)
Shared this session: %2</source>
        <translation>上传速度（限制：%1）
本次会话已分享：%2</translation>
    </message>
</context>
</TS>
