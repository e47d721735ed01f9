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
    <name>SwarmSource</name>
    <message>
        <source>BitTorrent swarm</source>
        <translation>BitTorrent 群</translation>
    </message>
</context>
<context>
    <name>tributary::ui::AddLinkDialog</name>
    <message>
        <source>Add Magnet or URL</source>
        <translation>添加磁力链接或网址</translation>
    </message>
    <message>
        <source>magnet:?xt=urn:btih:… or https://…</source>
        <translation>magnet:?xt=urn:btih:… 或 https://…</translation>
    </message>
    <message>
        <source>Magnet link or HTTP(S) &amp;URL:</source>
        <translation>磁力链接或 HTTP(S) 网址(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Torrent File…</source>
        <translation>种子文件(&amp;T)…</translation>
    </message>
    <message>
        <source>Pick the .torrent file of the same content</source>
        <translation>选择同一内容的 .torrent 文件</translation>
    </message>
    <message>
        <source>Also download &amp;from:</source>
        <translation>同时下载自(&amp;F)：</translation>
    </message>
    <message>
        <source>Torrent File</source>
        <translation>种子文件</translation>
    </message>
    <message>
        <source>Torrent files (*.torrent);;All files (*)</source>
        <translation>种子文件 (*.torrent);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The same content&apos;s http(s) URL (optional)</source>
        <translation>同一内容的 http(s) 网址（可选）</translation>
    </message>
    <message>
        <source>Download from this URL and the swarm at once, as one task; the torrent&apos;s pieces check every byte. For a torrent with several files, give the folder holding its top folder, ending in “/”.</source>
        <translation>作为同一个任务，同时从此网址和种子群下载；种子的分块校验每一个字节。对于包含多个文件的种子，请填写存放其顶层文件夹的文件夹网址，以“/”结尾。</translation>
    </message>
    <message>
        <source>A .torrent file or magnet link of the same content (optional)</source>
        <translation>同一内容的 .torrent 文件或磁力链接（可选）</translation>
    </message>
    <message>
        <source>Download from the swarm and this URL at once, as one task; the torrent&apos;s pieces check every byte.</source>
        <translation>作为同一个任务，同时从种子群和此网址下载；种子的分块校验每一个字节。</translation>
    </message>
    <message>
        <source>Another source of the same content (optional)</source>
        <translation>同一内容的另一个来源（可选）</translation>
    </message>
    <message>
        <source>&amp;Sources:</source>
        <translation>来源(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>tributary::ui::AddTorrentDialog</name>
    <message>
        <source>Add Torrent</source>
        <translation>添加种子</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Info hash:</source>
        <translation>信息哈希：</translation>
    </message>
    <message>
        <source>Save &amp;to:</source>
        <translation>保存到(&amp;T)：</translation>
    </message>
    <message>
        <source>Start &amp;paused</source>
        <translation>以暂停状态添加(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t ask again</source>
        <translation>不再询问(&amp;D)</translation>
    </message>
    <message>
        <source>Add torrents at once, with every file, to the default folder, without this dialog.</source>
        <translation>不显示此对话框，直接将种子的全部文件添加到默认文件夹。</translation>
    </message>
    <message>
        <source>Save To</source>
        <translation>保存到</translation>
    </message>
    <message>
        <source>Select at least one file.</source>
        <translation>请至少选择一个文件。</translation>
    </message>
    <message>
        <source>The same content&apos;s http(s) URL (optional)</source>
        <translation>同一内容的 http(s) 网址（可选）</translation>
    </message>
    <message>
        <source>Download from this URL and the swarm at once, as one task; the torrent&apos;s pieces check every byte. For a torrent with several files, give the folder holding its top folder, ending in “/”.</source>
        <translation>作为同一个任务，同时从此网址和种子群下载；种子的分块校验每一个字节。对于包含多个文件的种子，请填写存放其顶层文件夹的文件夹网址，以“/”结尾。</translation>
    </message>
    <message>
        <source>Also download &amp;from:</source>
        <translation>同时下载自(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Sources:</source>
        <translation>来源(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>tributary::ui::AddTorrentFilesModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
</context>
<context>
    <name>tributary::ui::AlsoFromCheck</name>
    <message>
        <source>“%1” is not an http(s) URL.</source>
        <translation>“%1”不是 http(s) 网址。</translation>
    </message>
    <message>
        <source>A torrent cannot be added to another torrent: give the URL the same content is served at.</source>
        <translation>不能把一个种子添加到另一个种子：请填写提供相同内容的网址。</translation>
    </message>
    <message>
        <source>This torrent has several files: give the URL of the folder that holds “%1/”, ending in “/”.</source>
        <translation>此种子包含多个文件：请填写存放“%1/”的文件夹网址，以“/”结尾。</translation>
    </message>
    <message>
        <source>“%1” is not a magnet link with a BitTorrent info hash (xt=urn:btih:…).</source>
        <translation>“%1”不是带有 BitTorrent 信息哈希（xt=urn:btih:…）的磁力链接。</translation>
    </message>
    <message>
        <source>A download from a URL is paired with its .torrent file or magnet link, not with another URL.</source>
        <translation>网址下载只能与它的 .torrent 文件或磁力链接配对，不能与另一个网址配对。</translation>
    </message>
    <message>
        <source>There is no file “%1”.</source>
        <translation>文件“%1”不存在。</translation>
    </message>
    <message>
        <source>“%1” is neither a magnet link nor an http(s) URL.</source>
        <translation>“%1”既不是磁力链接，也不是 http(s) 网址。</translation>
    </message>
</context>
<context>
    <name>tributary::ui::ConnectionSettingsPage</name>
    <message>
        <source>Applies to downloads added from now on.</source>
        <translation>对此后添加的下载任务生效。</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Co&amp;nnections per download:</source>
        <translation>每个下载任务的连接数(&amp;N)：</translation>
    </message>
    <message>
        <source>Pick any &amp;free port at each start</source>
        <translation>每次启动时任选一个空闲端口(&amp;F)</translation>
    </message>
    <message>
        <source>BitTorrent</source>
        <translation>BitTorrent</translation>
    </message>
    <message>
        <source>Listening p&amp;ort:</source>
        <translation>监听端口(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Peers per download:</source>
        <translation>每个下载任务的用户数(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Connections of all downloads:</source>
        <translation>所有下载任务的连接总数(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;DHT: find peers without a tracker</source>
        <translation>DHT：无需 Tracker 即可找到用户(&amp;D)</translation>
    </message>
    <message>
        <source>P&amp;EX: learn of more peers from connected ones</source>
        <translation>PEX：从已连接的用户处得知更多用户(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;LSD: find peers on the local network</source>
        <translation>LSD：在本地网络中查找用户(&amp;L)</translation>
    </message>
    <message>
        <source>u&amp;TP: connect to peers over UDP as well as TCP</source>
        <translation>uTP：除 TCP 外也通过 UDP 连接用户(&amp;T)</translation>
    </message>
    <message>
        <source>BitTorrent features</source>
        <translation>BitTorrent 功能</translation>
    </message>
    <message>
        <source>Port, connection limits and features apply at the next start.</source>
        <translation>端口、连接数限制和功能设置将在下次启动时生效。</translation>
    </message>
    <message>
        <source>The usual public routers</source>
        <translation>常用的公共路由节点</translation>
    </message>
    <message>
        <source>Where the DHT starts: host:port or [IPv6]:port, separated by commas. Empty uses the usual public routers.</source>
        <translation>DHT 的引导节点：host:port 或 [IPv6]:port，以逗号分隔。留空则使用常用的公共路由节点。</translation>
    </message>
    <message>
        <source>Not host:port, left out: %1</source>
        <translation>不是 host:port 格式，已忽略：%1</translation>
    </message>
    <message>
        <source>DHT &amp;bootstrap nodes:</source>
        <translation>DHT 引导节点(&amp;B)：</translation>
    </message>
    <message>
        <source>Encr&amp;yption:</source>
        <translation>加密(&amp;Y)：</translation>
    </message>
    <message>
        <source>Allow encryption</source>
        <translation>允许加密</translation>
    </message>
    <message>
        <source>Allow: offer encryption to peers and accept those that do not use it.</source>
        <translation>允许：向对等方提供加密，也接受不加密的对等方。</translation>
    </message>
    <message>
        <source>Require encryption</source>
        <translation>强制加密</translation>
    </message>
    <message>
        <source>Require: connect only to peers that encrypt, which may find fewer of them.</source>
        <translation>强制：只连接使用加密的对等方，可用的对等方可能更少。</translation>
    </message>
    <message>
        <source>Disable encryption</source>
        <translation>禁用加密</translation>
    </message>
    <message>
        <source>Disable: never encrypt, and leave out peers that insist on it.</source>
        <translation>禁用：从不加密，不连接要求加密的对等方。</translation>
    </message>
    <message>
        <source>Not available yet: this version reaches peers over TCP only.</source>
        <translation>暂不可用：此版本仅通过 TCP 连接对等方。</translation>
    </message>
</context>
<context>
    <name>tributary::ui::DailyTrafficChart</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>No traffic in the last %n day(s).</source>
        <translation>
            <numerusform>最近 %n 天没有流量。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tributary::ui::DetailsGeneralPage</name>
    <message>
        <source>Save path:</source>
        <translation>保存路径：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Total size:</source>
        <translation>总大小：</translation>
    </message>
    <message>
        <source>Verified:</source>
        <translation>已校验：</translation>
    </message>
    <message>
        <source>Info-hash:</source>
        <translation>信息哈希：</translation>
    </message>
    <message>
        <source>Pieces:</source>
        <translation>分块：</translation>
    </message>
    <message>
        <source>Comment:</source>
        <translation>注释：</translation>
    </message>
    <message>
        <source>Created by:</source>
        <translation>创建工具：</translation>
    </message>
    <message>
        <source>Private:</source>
        <translation>私有：</translation>
    </message>
    <message>
        <source>Wasted:</source>
        <translation>浪费：</translation>
    </message>
    <message>
        <source>Error:</source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Not known yet</source>
        <translation>尚未知道</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 of %2, %3 each</source>
        <translation>%1 / %2，每块 %3</translation>
    </message>
    <message>
        <source>Yes: peers come from its trackers only</source>
        <translation>是：用户只来自它的 Tracker</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>来源偏好：</translation>
    </message>
    <message>
        <source>%1, no CDN traffic limit</source>
        <translation>%1，CDN 流量不限</translation>
    </message>
    <message>
        <source>%1, CDN traffic up to %2</source>
        <translation>%1，CDN 流量上限 %2</translation>
    </message>
</context>
<context>
    <name>tributary::ui::DetailsTrafficPage</name>
    <message>
        <source>Downloaded from BitTorrent peers</source>
        <translation>从 BitTorrent 用户处下载</translation>
    </message>
    <message>
        <source>Downloaded from the download&apos;s own URL</source>
        <translation>从下载任务自身的网址下载</translation>
    </message>
    <message>
        <source>Downloaded from mirrors and web seeds</source>
        <translation>从镜像和 Web 种子下载</translation>
    </message>
    <message>
        <source>Uploaded to peers</source>
        <translation>上传给用户</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>BT, HTTP and CDN together</source>
        <translation>BT、HTTP 和 CDN 合计</translation>
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
    <name>tributary::ui::FileListModel</name>
    <message>
        <source>Path</source>
        <translation>路径</translation>
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
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
</context>
<context>
    <name>tributary::ui::FilterSidebar</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>tributary::ui::MagnetFilesDialog</name>
    <message>
        <source>Add Magnet Link</source>
        <translation>添加磁力链接</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Info hash:</source>
        <translation>信息哈希：</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Start &amp;paused</source>
        <translation>以暂停状态添加(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t ask again</source>
        <translation>不再询问(&amp;D)</translation>
    </message>
    <message>
        <source>Add torrents and magnet links at once, with every file, without this dialog.</source>
        <translation>直接添加种子和磁力链接（包含所有文件），不显示此对话框。</translation>
    </message>
    <message>
        <source>Remove this download; nothing of it was written.</source>
        <translation>移除此下载；尚未写入任何内容。</translation>
    </message>
    <message>
        <source>Select at least one file.</source>
        <translation>请至少选择一个文件。</translation>
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
        <source>Add Torrent Files</source>
        <translation>添加种子文件</translation>
    </message>
    <message>
        <source>Torrent files (*.torrent);;All files (*)</source>
        <translation>种子文件 (*.torrent);;所有文件 (*)</translation>
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
        <translation>&lt;h3&gt;Tributary %1&lt;/h3&gt;&lt;p&gt;一个下载任务，多个来源：BitTorrent 用户、原始网址和镜像同时为同一个文件提供数据。&lt;/p&gt;</translation>
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
        <source>Quit Tributary</source>
        <translation>退出 Tributary</translation>
    </message>
    <message>
        <source>A download is still running. Quit Tributary anyway?</source>
        <translation>还有一个下载任务正在进行。仍要退出 Tributary 吗？</translation>
    </message>
    <message numerus="yes">
        <source>%n downloads are still running. Quit Tributary anyway?</source>
        <translation>
            <numerusform>还有 %n 个下载任务正在进行。仍要退出 Tributary 吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove and &amp;Delete Files…</source>
        <translation>删除任务及文件(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Traffic History…</source>
        <translation>流量历史(&amp;T)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+T</source>
        <translation>Ctrl+Shift+T</translation>
    </message>
    <message>
        <source>Bytes by kind of source, per day and in total</source>
        <translation>按来源类型统计的流量，分天和总计</translation>
    </message>
</context>
<context>
    <name>tributary::ui::PeerListModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Peer ID: %1</source>
        <translation>用户 ID：%1</translation>
    </message>
    <message>
        <source>Pieces the peer has that this download lacks, over all pieces it lacks</source>
        <translation>该用户拥有而本任务缺少的分块，占本任务所缺分块的比例</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标志</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
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
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>已上传</translation>
    </message>
    <message>
        <source>Relevance</source>
        <translation>相关度</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>RTT</source>
        <translation>往返时间</translation>
    </message>
    <message>
        <source>Hash Fails</source>
        <translation>哈希失败</translation>
    </message>
    <message>
        <source>Requests Out</source>
        <translation>发出请求</translation>
    </message>
    <message>
        <source>Requests In</source>
        <translation>收到请求</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Connected Since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <source>Interested (local) and unchoked (peer)</source>
        <translation>感兴趣（本地）且未被阻塞（用户）</translation>
    </message>
    <message>
        <source>Interested (local) and choked (peer)</source>
        <translation>感兴趣（本地）但被阻塞（用户）</translation>
    </message>
    <message>
        <source>Interested (peer) and unchoked (local)</source>
        <translation>感兴趣（用户）且未被阻塞（本地）</translation>
    </message>
    <message>
        <source>Interested (peer) and choked (local)</source>
        <translation>感兴趣（用户）但被阻塞（本地）</translation>
    </message>
    <message>
        <source>Not interested (local) and unchoked (peer)</source>
        <translation>不感兴趣（本地）且未被阻塞（用户）</translation>
    </message>
    <message>
        <source>Not interested (peer) and unchoked (local)</source>
        <translation>不感兴趣（用户）且未被阻塞（本地）</translation>
    </message>
    <message>
        <source>Optimistic unchoke</source>
        <translation>乐观解除阻塞</translation>
    </message>
    <message>
        <source>Peer snubbed</source>
        <translation>用户被冷落</translation>
    </message>
    <message>
        <source>Incoming connection</source>
        <translation>传入连接</translation>
    </message>
    <message>
        <source>Peer from DHT</source>
        <translation>来自 DHT 的用户</translation>
    </message>
    <message>
        <source>Peer from PEX</source>
        <translation>来自 PEX 的用户</translation>
    </message>
    <message>
        <source>Peer from LSD</source>
        <translation>来自 LSD 的用户</translation>
    </message>
    <message>
        <source>Encrypted traffic</source>
        <translation>加密流量</translation>
    </message>
    <message>
        <source>Encrypted handshake</source>
        <translation>加密握手</translation>
    </message>
    <message>
        <source>μTP connection</source>
        <translation>μTP 连接</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>flag letter: meaning</comment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>unknown flag</source>
        <translation>未知标志</translation>
    </message>
    <message>
        <source>Tracker</source>
        <translation>Tracker</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>传入</translation>
    </message>
    <message>
        <source>Web seed</source>
        <translation>Web 种子</translation>
    </message>
    <message>
        <source>Added by you</source>
        <translation>手动添加</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>Web</translation>
    </message>
</context>
<context>
    <name>tributary::ui::PieceBar</name>
    <message>
        <source>Pieces verified: %1 of %2</source>
        <translation>已校验分块：%1 / %2</translation>
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
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Default &amp;folder:</source>
        <translation>默认文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>Default Download Folder</source>
        <translation>默认下载文件夹</translation>
    </message>
    <message>
        <source>Alternative speed limits</source>
        <translation>备用速度限制</translation>
    </message>
    <message>
        <source>Do&amp;wnload:</source>
        <translation>下载(&amp;W)：</translation>
    </message>
    <message>
        <source>U&amp;pload:</source>
        <translation>上传(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Closing the window keeps Tributary in the tray</source>
        <translation>关闭窗口时将 Tributary 保留在托盘中(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Minimising the window hides it in the tray</source>
        <translation>最小化窗口时将其隐藏到托盘(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Notify when a download finishes or fails</source>
        <translation>下载完成或失败时通知(&amp;N)</translation>
    </message>
    <message>
        <source>No system tray was found, so closing the window quits Tributary.</source>
        <translation>未找到系统托盘，因此关闭窗口将退出 Tributary。</translation>
    </message>
    <message>
        <source>System tray</source>
        <translation>系统托盘</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation>语言将在下次启动时更改。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Ask before &amp;removing downloads</source>
        <translation>删除下载任务前询问(&amp;R)</translation>
    </message>
    <message>
        <source>Ask before &amp;quitting while downloads are running</source>
        <translation>有下载任务正在进行时，退出前询问(&amp;Q)</translation>
    </message>
    <message>
        <source>Confirmations</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Downloads beyond this number wait in the queue; seeding does not count.</source>
        <translation>超出此数量的下载任务将在队列中等待；做种任务不计入。</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Ma&amp;ximum active downloads:</source>
        <translation>最大同时下载数(&amp;X)：</translation>
    </message>
    <message>
        <source>&amp;Ask which files to get from each .torrent and magnet link</source>
        <translation>添加种子和磁力链接时询问要下载哪些文件(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Write downloaded pieces past the system&apos;s disk cache</source>
        <translation>绕过系统磁盘缓存写入已下载的分块(&amp;W)</translation>
    </message>
    <message>
        <source>Uses less CPU on fast downloads; data just downloaded is then read back from the disk rather than from memory. Applies at the next start.</source>
        <translation>高速下载时占用更少的 CPU；刚下载的数据之后将从磁盘而不是内存中读取。下次启动时生效。</translation>
    </message>
    <message>
        <source>New torrents&apos; &amp;sources:</source>
        <translation>新种子的来源偏好(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>tributary::ui::SourceAdder</name>
    <message>
        <source>Could not add %1: %2</source>
        <translation>无法添加 %1：%2</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <comment>source: reason</comment>
        <translation>“%1”：%2</translation>
    </message>
    <message numerus="yes">
        <source>Added %n downloads</source>
        <translation>
            <numerusform>已添加 %n 个下载任务</numerusform>
        </translation>
    </message>
    <message>
        <source>not a .torrent file, a magnet link or a URL</source>
        <translation>不是 .torrent 文件、磁力链接或网址</translation>
    </message>
    <message>
        <source>Could Not Add</source>
        <translation>无法添加</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>……另有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>A download could not be added:</source>
        <translation>有一个下载任务无法添加：</translation>
    </message>
    <message numerus="yes">
        <source>%n downloads could not be added:</source>
        <translation>
            <numerusform>有 %n 个下载任务无法添加：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tributary::ui::SourceListModel</name>
    <message>
        <source>URL</source>
        <translation>网址</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接数</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation>已弃用</translation>
    </message>
</context>
<context>
    <name>tributary::ui::SourcePolicyDialog</name>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message numerus="yes">
        <source>Sources of %n Downloads</source>
        <translation>
            <numerusform>%n 个下载任务的来源设置</numerusform>
        </translation>
    </message>
    <message>
        <source>How this torrent shares its pieces between its swarm and its web seeds (CDN mirrors, the origin URL). Peers and web seeds always race the last pieces.</source>
        <translation>此种子如何在种子群与 Web 种子（CDN 镜像、源网址）之间分配分块。最后几个分块总是由用户和 Web 种子同时竞速下载。</translation>
    </message>
    <message>
        <source>&amp;Limit CDN traffic to</source>
        <translation>CDN 流量上限(&amp;L)</translation>
    </message>
    <message>
        <source>Bytes this download may take from CDN web seeds and mirrors; its origin URL counts as HTTP and is not limited. Unchecked: no limit.</source>
        <translation>此下载任务最多可从 CDN Web 种子和镜像获取的字节数；源网址计为 HTTP 流量，不受此限制。不勾选：不限制。</translation>
    </message>
</context>
<context>
    <name>tributary::ui::SourcePreferenceCombo</name>
    <message>
        <source>How a torrent shares its pieces between its swarm and its web seeds (CDN mirrors, the origin URL)</source>
        <translation>种子如何在种子群与 Web 种子（CDN 镜像、源网址）之间分配分块</translation>
    </message>
    <message>
        <source>&amp;Balanced</source>
        <translation>均衡(&amp;B)</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Prefer &amp;P2P</source>
        <translation>优先 P2P(&amp;P)</translation>
    </message>
    <message>
        <source>Prefer P2P</source>
        <translation>优先 P2P</translation>
    </message>
    <message>
        <source>Prefer &amp;CDN</source>
        <translation>优先 CDN(&amp;C)</translation>
    </message>
    <message>
        <source>Prefer CDN</source>
        <translation>优先 CDN</translation>
    </message>
    <message>
        <source>Web seeds take the pieces peers are least likely to send soon; peers take the rest.</source>
        <translation>Web 种子下载用户短时间内最不可能提供的分块；其余分块由用户提供。</translation>
    </message>
    <message>
        <source>Web seeds fetch only what the swarm cannot give, saving CDN traffic.</source>
        <translation>Web 种子只下载种子群无法提供的部分，以节省 CDN 流量。</translation>
    </message>
    <message>
        <source>Web seeds do most of the work; peers help finish the last pieces.</source>
        <translation>主要由 Web 种子下载；用户协助完成最后几个分块。</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TaskContextMenu</name>
    <message>
        <source>Unlimited</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>Open Containing &amp;Folder</source>
        <translation>打开所在文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>Copy &amp;Magnet Link</source>
        <translation>复制磁力链接(&amp;M)</translation>
    </message>
    <message>
        <source>Force &amp;Recheck</source>
        <translation>强制重新校验(&amp;R)</translation>
    </message>
    <message>
        <source>Set Speed &amp;Limits…</source>
        <translation>设置速度限制(&amp;L)…</translation>
    </message>
    <message>
        <source>Speed Limits</source>
        <translation>速度限制</translation>
    </message>
    <message numerus="yes">
        <source>Speed Limits of %n Downloads</source>
        <translation>
            <numerusform>%n 个下载任务的速度限制</numerusform>
        </translation>
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
        <source>&amp;Queue</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <source>Move to &amp;Top</source>
        <translation>移至顶部(&amp;T)</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <source>Move to &amp;Bottom</source>
        <translation>移至底部(&amp;B)</translation>
    </message>
    <message>
        <source>Set Lo&amp;cation…</source>
        <translation>设置位置(&amp;C)…</translation>
    </message>
    <message>
        <source>Set Location</source>
        <translation>设置位置</translation>
    </message>
    <message>
        <source>S&amp;ources…</source>
        <translation>来源设置(&amp;O)…</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TaskDetailsPanel</name>
    <message>
        <source>The download is paused, so no peers are connected.</source>
        <translation>下载已暂停，因此没有连接的用户。</translation>
    </message>
    <message>
        <source>The download is complete and not seeding, so no peers are connected.</source>
        <translation>下载已完成且未做种，因此没有连接的用户。</translation>
    </message>
    <message>
        <source>The download stopped on an error, so no peers are connected.</source>
        <translation>下载因错误而停止，因此没有连接的用户。</translation>
    </message>
    <message>
        <source>Peers are contacted once the existing data is checked.</source>
        <translation>校验完已有数据后才会联系用户。</translation>
    </message>
    <message>
        <source>No peers connected yet.</source>
        <translation>尚未连接任何用户。</translation>
    </message>
    <message>
        <source>This appears once the torrent&apos;s metadata has arrived.</source>
        <translation>收到种子的元数据后才会显示。</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Trackers</source>
        <translation>Tracker</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Select a download to see its details.</source>
        <translation>选择一个下载任务以查看详情。</translation>
    </message>
    <message>
        <source>An HTTP download has no peers: its bytes come from the servers listed under HTTP Sources.</source>
        <translation>HTTP 下载没有用户：它的数据来自“HTTP 来源”中列出的服务器。</translation>
    </message>
    <message>
        <source>An HTTP download has no trackers.</source>
        <translation>HTTP 下载没有 Tracker。</translation>
    </message>
    <message>
        <source>This torrent lists no trackers.</source>
        <translation>这个种子没有列出任何 Tracker。</translation>
    </message>
    <message>
        <source>The file&apos;s name and size are known once the server answers.</source>
        <translation>服务器应答后才能知道文件名和大小。</translation>
    </message>
    <message>
        <source>No server has been contacted yet.</source>
        <translation>尚未联系任何服务器。</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <source>Pieces:</source>
        <translation>分块：</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TaskFilterProxy</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
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
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Errored</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
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
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TaskSearchField</name>
    <message>
        <source>Search by name</source>
        <translation>按名称搜索</translation>
    </message>
    <message>
        <source>Show the downloads whose name contains this text (Ctrl+F)</source>
        <translation>只显示名称包含此文本的下载任务（Ctrl+F）</translation>
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
    <name>tributary::ui::TorrentFilesPane</name>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Select &amp;None</source>
        <translation>全不选(&amp;N)</translation>
    </message>
    <message>
        <source>%1 of %2 selected</source>
        <translation>已选择 %1 / %2</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TrackerListModel</name>
    <message>
        <source>URL</source>
        <translation>网址</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Leechers</source>
        <translation>下载者</translation>
    </message>
    <message>
        <source>Next Announce</source>
        <translation>下次汇报</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Not contacted yet</source>
        <translation>尚未联系</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>工作中</translation>
    </message>
    <message>
        <source>Not working</source>
        <translation>未工作</translation>
    </message>
    <message>
        <source>Not supported</source>
        <translation>不支持</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TrafficChart</name>
    <message>
        <source>Shared</source>
        <translation>分享</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message numerus="yes">
        <source>No traffic in the last %n minute(s).</source>
        <translation>
            <numerusform>最近 %n 分钟内没有流量。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tributary::ui::TrafficHistoryDialog</name>
    <message>
        <source>Traffic History</source>
        <translation>流量历史</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>最近 %1 天</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>In these days</source>
        <translation>这些天内</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TransferStatusWidget</name>
    <message>
        <source>unlimited</source>
        <translation>不限速</translation>
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
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 [%3]</source>
        <translation>%1 %2 [%3]</translation>
    </message>
    <message>
        <source>↓</source>
        <translation>↓</translation>
    </message>
    <message>
        <source>↑</source>
        <translation>↑</translation>
    </message>
    <message>
        <source>Listening on port %1</source>
        <translation>正在监听端口 %1</translation>
    </message>
    <message>
        <source>Peers can connect to this computer on this port.</source>
        <translation>用户可以通过此端口连接到这台计算机。</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>未监听</translation>
    </message>
    <message>
        <source>No port is open for incoming connections; downloads still connect out to peers and servers.</source>
        <translation>没有为传入连接打开端口；下载任务仍会主动连接用户和服务器。</translation>
    </message>
    <message>
        <source>DHT: off</source>
        <translation>DHT：关闭</translation>
    </message>
    <message>
        <source>The distributed hash table is turned off in the settings.</source>
        <translation>分布式哈希表（DHT）已在设置中关闭。</translation>
    </message>
    <message numerus="yes">
        <source>DHT: %n nodes</source>
        <translation>
            <numerusform>DHT：%n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>Nodes of the distributed hash table known to this computer; they help find peers without a tracker.</source>
        <translation>这台计算机已知的分布式哈希表节点；它们有助于在没有 Tracker 的情况下找到用户。</translation>
    </message>
    <message>
        <source>Free space where new downloads go: %1</source>
        <translation>新下载任务保存位置（%1）的可用空间</translation>
    </message>
    <message>
        <source>Free space: unknown</source>
        <translation>可用空间：未知</translation>
    </message>
    <message>
        <source>Free space: %1</source>
        <translation>可用空间：%1</translation>
    </message>
</context>
<context>
    <name>tributary::ui::TrayIcon</name>
    <message>
        <source>&amp;Pause All</source>
        <translation>全部暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Resume All</source>
        <translation>全部继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Alternative Speed Limits</source>
        <translation>备用速度限制(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Download finished</source>
        <translation>下载完成</translation>
    </message>
    <message>
        <source>Download failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Tributary</source>
        <translation>Tributary</translation>
    </message>
    <message>
        <source>Download: %1 (limit %2)</source>
        <translation>下载：%1（限制：%2）</translation>
    </message>
    <message>
        <source>Download: %1</source>
        <translation>下载：%1</translation>
    </message>
    <message>
        <source>Upload: %1 (limit %2)</source>
        <translation>上传：%1（限制：%2）</translation>
    </message>
    <message>
        <source>Upload: %1</source>
        <translation>上传：%1</translation>
    </message>
    <message>
        <source>Alternative speed limits are on</source>
        <translation>备用速度限制已启用</translation>
    </message>
    <message>
        <source>&amp;Hide Window</source>
        <translation>隐藏窗口(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Show Window</source>
        <translation>显示窗口(&amp;S)</translation>
    </message>
</context>
</TS>
