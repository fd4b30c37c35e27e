<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessPolicy</name>
    <message>
        <source>The certificate of this console has the role %1; this needs the role %2.</source>
        <translation>此控制台的证书角色为 %1；此操作需要角色 %2。</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
</context>
<context>
    <name>BlockVerifier</name>
    <message>
        <source>verification of &quot;%1&quot; was cancelled</source>
        <translation>对“%1”的校验已取消</translation>
    </message>
    <message>
        <source>%1 answered %2 digests for %3 ranges</source>
        <translation>%1 为 %3 个范围返回了 %2 个摘要</translation>
    </message>
    <message>
        <source>%1 answered %2 digests for %3 sub-ranges</source>
        <translation>%1 为 %3 个子范围返回了 %2 个摘要</translation>
    </message>
    <message>
        <source>block %1 %2 still differs after %3 repair attempts</source>
        <translation>块 %1 %2 经过 %3 次修复尝试后仍然不一致</translation>
    </message>
</context>
<context>
    <name>CanonicalEncoder</name>
    <message>
        <source>a canonical row of table &quot;%1&quot; is malformed</source>
        <translation>表“%1”的一个规范行格式错误</translation>
    </message>
</context>
<context>
    <name>Certificates</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <source>a validity of %1 days is out of range (1 to %2)</source>
        <translation>有效期 %1 天超出范围（1 到 %2）</translation>
    </message>
    <message>
        <source>%1: cannot create the directory: %2</source>
        <translation>%1：无法创建目录：%2</translation>
    </message>
    <message>
        <source>%1: no such directory</source>
        <translation>%1：目录不存在</translation>
    </message>
    <message>
        <source>%1: not a directory</source>
        <translation>%1：不是目录</translation>
    </message>
    <message>
        <source>%1 already exists; it is never overwritten (move it away first)</source>
        <translation>%1 已存在；已有文件绝不会被覆盖（请先将其移走）</translation>
    </message>
    <message>
        <source>%1: cannot create a file in this directory: %2</source>
        <translation>%1：无法在此目录中创建文件：%2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1: cannot create: %2</source>
        <translation>%1：无法创建：%2</translation>
    </message>
    <message>
        <source>generating an EC P-256 key</source>
        <translation>生成 EC P-256 密钥</translation>
    </message>
    <message>
        <source>encoding the certificate</source>
        <translation>编码证书</translation>
    </message>
    <message>
        <source>encoding the private key</source>
        <translation>编码私钥</translation>
    </message>
    <message>
        <source>generating a serial number</source>
        <translation>生成序列号</translation>
    </message>
    <message>
        <source>setting the validity period</source>
        <translation>设置有效期</translation>
    </message>
    <message>
        <source>adding the extension %1</source>
        <translation>添加扩展 %1</translation>
    </message>
    <message>
        <source>setting the subject name</source>
        <translation>设置主体名称</translation>
    </message>
    <message>
        <source>signing the certificate</source>
        <translation>签署证书</translation>
    </message>
    <message>
        <source>no deployment CA in %1: %2 does not exist (create the CA first with &quot;ferryctl certs init %1&quot;)</source>
        <translation>%1 中没有部署 CA：%2 不存在（请先用“ferryctl certs init %1”创建 CA）</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: larger than 1 MiB, not a PEM file</source>
        <translation>%1：大于 1 MiB，不是 PEM 文件</translation>
    </message>
    <message>
        <source>%1: not a PEM certificate</source>
        <translation>%1：不是 PEM 格式的证书</translation>
    </message>
    <message>
        <source>%1: not an unencrypted PEM private key</source>
        <translation>%1：不是未加密的 PEM 私钥</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a DNS name</source>
        <translation>“%1”不是有效的 DNS 名称</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation>“%1”不是有效的 IP 地址</translation>
    </message>
    <message>
        <source>adding the subject alternative names</source>
        <translation>添加主体备用名称</translation>
    </message>
    <message>
        <source>no directory given for the deployment CA</source>
        <translation>未指定部署 CA 的目录</translation>
    </message>
    <message>
        <source>creating the CA certificate</source>
        <translation>创建 CA 证书</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is reserved for the deployment CA; choose another name</source>
        <translation>“%1”保留给部署 CA 使用；请换一个名称</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a certificate name (a letter or digit, then letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 63)</source>
        <translation>“%1”不是有效的证书名称（以字母或数字开头，其后为字母、数字、“.”、“_”、“-”；最多 63 个字符）</translation>
    </message>
    <message>
        <source>%1 is not a CA certificate</source>
        <translation>%1 不是 CA 证书</translation>
    </message>
    <message>
        <source>%1 does not match the CA certificate %2 (a key from another CA?)</source>
        <translation>%1 与 CA 证书 %2 不匹配（是否为另一个 CA 的密钥？）</translation>
    </message>
    <message>
        <source>the CA certificate %1 expired on %2</source>
        <translation>CA 证书 %1 已于 %2 过期</translation>
    </message>
    <message>
        <source>creating the certificate</source>
        <translation>创建证书</translation>
    </message>
</context>
<context>
    <name>ClientProfile</name>
    <message>
        <source>%1: cannot read the client profile: %2</source>
        <translation>%1：无法读取客户端配置文件：%2</translation>
    </message>
    <message>
        <source>%1: not a JSON object (%2)</source>
        <translation>%1：不是 JSON 对象（%2）</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a file name</source>
        <translation>%1：“%2”必须是文件名</translation>
    </message>
</context>
<context>
    <name>CompareJob</name>
    <message>
        <source>node %1 has no database &quot;%2&quot;</source>
        <translation>节点 %1 上没有数据库“%2”</translation>
    </message>
    <message>
        <source>cannot reach the target node: %1</source>
        <translation>无法连接目标节点：%1</translation>
    </message>
    <message>
        <source>source and target are the same table (%1 on %2)</source>
        <translation>源端和目标端是同一张表（%2 上的 %1）</translation>
    </message>
    <message>
        <source>node %1 does not offer digest %2</source>
        <translation>节点 %1 不支持摘要算法 %2</translation>
    </message>
    <message>
        <source>schemas differ: %1</source>
        <translation>表结构不一致：%1</translation>
    </message>
    <message>
        <source>the compare was cancelled</source>
        <translation>比较已取消</translation>
    </message>
</context>
<context>
    <name>ConflictVersion</name>
    <message>
        <source>the stored row of table &quot;%1&quot; is not a list of values: %2</source>
        <translation>表 &quot;%1&quot; 中保存的行不是值列表：%2</translation>
    </message>
    <message>
        <source>the stored row has %1 values, table &quot;%2&quot; has %3 columns now</source>
        <translation>保存的行有 %1 个值，表 &quot;%2&quot; 现在有 %3 列</translation>
    </message>
    <message>
        <source>value %1 of the stored row (%2) does not fit column &quot;%3&quot; (%4) of table &quot;%5&quot;</source>
        <translation>保存的行的第 %1 个值（%2）与表 &quot;%5&quot; 的列 &quot;%3&quot;（%4）不符</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>%1 is not one of the console&apos;s data centers</source>
        <translation>%1 不是本控制台的数据中心</translation>
    </message>
    <message>
        <source>the console is not connected to %1, the target of link %2</source>
        <translation>控制台未连接到 %1（链路 %2 的目标）</translation>
    </message>
</context>
<context>
    <name>DataSource</name>
    <message>
        <source>%1: unknown parameter &quot;%2&quot; (only table=NAME is understood)</source>
        <translation>%1：未知参数“%2”（只支持 table=NAME）</translation>
    </message>
    <message>
        <source>%1: no table given (add ?table=NAME)</source>
        <translation>%1：未指定表（请添加 ?table=NAME）</translation>
    </message>
    <message>
        <source>%1: no SQLite file path (expected sqlite:PATH?table=NAME)</source>
        <translation>%1：缺少 SQLite 文件路径（格式应为 sqlite:PATH?table=NAME）</translation>
    </message>
    <message>
        <source>%1: malformed PostgreSQL URL (%2)</source>
        <translation>%1：PostgreSQL URL 格式错误（%2）</translation>
    </message>
    <message>
        <source>%1: no host (expected postgresql://USER@HOST:PORT/DB?table=NAME)</source>
        <translation>%1：缺少主机（格式应为 postgresql://USER@HOST:PORT/DB?table=NAME）</translation>
    </message>
    <message>
        <source>%1: port out of range</source>
        <translation>%1：端口超出范围</translation>
    </message>
    <message>
        <source>%1: no database name (expected postgresql://USER@HOST:PORT/DB?table=NAME)</source>
        <translation>%1：缺少数据库名（格式应为 postgresql://USER@HOST:PORT/DB?table=NAME）</translation>
    </message>
    <message>
        <source>%1: unknown kind of location (expected sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME)</source>
        <translation>%1：无法识别的位置类型（格式应为 sqlite:PATH?table=NAME 或 postgresql://USER@HOST:PORT/DB?table=NAME）</translation>
    </message>
</context>
<context>
    <name>DatabaseLink</name>
    <message>
        <source>the name is too long or has characters a link id cannot hold (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 64 with the link&apos;s id); link it on its own</source>
        <translation>名称过长或含有链路 ID 不能包含的字符（字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;；连同链路 ID 最多 64 个）；请单独为它建立链路</translation>
    </message>
    <message>
        <source>no primary key</source>
        <translation>没有主键</translation>
    </message>
    <message>
        <source>%1 tables would take %2 more connections of the database server (one per table), which allows %3 and has %4 open; a quarter stays free for the applications. Raise max_connections or link fewer tables (--tables)</source>
        <translation>%1 张表将再占用数据库服务器 %2 个连接（每张表一个），服务器最多允许 %3 个，当前已打开 %4 个；需为应用保留四分之一。请调高 max_connections，或链接更少的表（--tables）</translation>
    </message>
</context>
<context>
    <name>DatabaseService</name>
    <message>
        <source>table &quot;%1&quot; has no column &quot;%2&quot; to compare for newest-wins</source>
        <translation>表“%1”没有可供 newest-wins 比较的列“%2”</translation>
    </message>
    <message>
        <source>schema changed: %1 (database &quot;%2&quot;), nothing was applied</source>
        <translation>表结构已变更：%1（数据库“%2”），未应用任何变更</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢弃的</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留的</translation>
    </message>
    <message>
        <source>no conflict %1 is recorded in database &quot;%2&quot;; nothing was written</source>
        <translation>数据库 &quot;%2&quot; 中没有记录冲突 %1；未写入任何内容</translation>
    </message>
    <message>
        <source>conflict %1 in database &quot;%2&quot; is for table &quot;%3&quot;, key %4, not for the %5 version of table &quot;%6&quot;, key %7 that was asked for; nothing was written</source>
        <translation>数据库 &quot;%2&quot; 中的冲突 %1 属于表 &quot;%3&quot;、键 %4，而不是所请求的表 &quot;%6&quot;、键 %7 的%5版本；未写入任何内容</translation>
    </message>
    <message>
        <source>conflict %1: %2; nothing was written</source>
        <translation>冲突 %1：%2；未写入任何内容</translation>
    </message>
    <message>
        <source>conflict %1 no longer fits table &quot;%2&quot; of database &quot;%3&quot;: %4; nothing was written</source>
        <translation>冲突 %1 已不再符合数据库 &quot;%3&quot; 的表 &quot;%2&quot;：%4；未写入任何内容</translation>
    </message>
    <message>
        <source>the key: %1</source>
        <translation>键：%1</translation>
    </message>
    <message>
        <source>the conflict has no key</source>
        <translation>该冲突没有键</translation>
    </message>
    <message>
        <source>the stored row&apos;s key is not the conflict&apos;s key %1</source>
        <translation>保存的行的键不是冲突的键 %1</translation>
    </message>
    <message>
        <source>table &quot;%1&quot; of database &quot;%2&quot; refused the %3 version of conflict %4: %5; nothing was written</source>
        <translation>数据库 &quot;%2&quot; 的表 &quot;%1&quot; 拒绝了冲突 %4 的%3版本：%5；未写入任何内容</translation>
    </message>
    <message>
        <source>apply_group names table &quot;%1&quot; twice</source>
        <translation>apply_group 两次提到表“%1”</translation>
    </message>
</context>
<context>
    <name>DemoDeployment</name>
    <message>
        <source>no free loopback port: %1</source>
        <translation>没有空闲的回环端口：%1</translation>
    </message>
    <message>
        <source>%1: cannot create: %2</source>
        <translation>%1：无法创建：%2</translation>
    </message>
    <message>
        <source>%1: cannot write the sample rows: %2</source>
        <translation>%1：无法写入示例数据行：%2</translation>
    </message>
    <message>
        <source>%1: cannot create the demo directory</source>
        <translation>%1：无法创建演示目录</translation>
    </message>
    <message>
        <source>%1: cannot create</source>
        <translation>%1：无法创建</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>demo workload paused: %1</source>
        <translation>演示负载已暂停：%1</translation>
    </message>
    <message>
        <source>demo workload stopped: %1</source>
        <translation>演示负载已停止：%1</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1：无法打开：%2</translation>
    </message>
    <message>
        <source>%1: cannot write the %2 table: %3</source>
        <translation>%1：无法写入表 %2：%3</translation>
    </message>
</context>
<context>
    <name>Digest</name>
    <message>
        <source>OpenSSL cannot provide the %1 digest</source>
        <translation>OpenSSL 无法提供 %1 摘要算法</translation>
    </message>
    <message>
        <source>OpenSSL digest initialisation failed</source>
        <translation>OpenSSL 摘要初始化失败</translation>
    </message>
</context>
<context>
    <name>FailoverManager</name>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1 is primary of %2.%3 since epoch %4; the sender is no longer primary</source>
        <translation>自纪元 %4 起，%1 是 %2.%3 的主节点；发送方已不再是主节点</translation>
    </message>
    <message>
        <source>node %1 is not the replica of a link &quot;%2&quot;</source>
        <translation>节点 %1 不是链路“%2”的副本</translation>
    </message>
    <message>
        <source>a failover of link %1 is already running</source>
        <translation>链路 %1 的故障转移已在进行中</translation>
    </message>
    <message>
        <source>%1 is the primary of link %2: a forced failover is asked of the replica (%3)</source>
        <translation>%1 是链路 %2 的主节点：强制故障转移应向副本（%3）发起</translation>
    </message>
    <message>
        <source>%1 is not the replica of link %2 (its replica is %3)</source>
        <translation>%1 不是链路 %2 的副本（其副本为 %3）</translation>
    </message>
    <message>
        <source>link %1 is not a continuous one-way link: nothing to fail over</source>
        <translation>链路 %1 不是 continuous 模式的单向（one-way）链路：没有可故障转移的对象</translation>
    </message>
    <message>
        <source>link %1 is paused: resume it so that it can drain</source>
        <translation>链路 %1 已暂停：请先恢复它，以便排空待处理的变更</translation>
    </message>
    <message>
        <source>%1 is the replica of link %2; it can only promote itself, not %3</source>
        <translation>%1 是链路 %2 的副本；它只能提升自身，不能提升 %3</translation>
    </message>
    <message>
        <source>a graceful failover is asked of the primary (%1); use --force only when it is unreachable</source>
        <translation>平滑故障转移应向主节点（%1）发起；只有在主节点不可达时才使用 --force</translation>
    </message>
    <message>
        <source>node %1 has no link &quot;%2&quot;, as primary or as replica</source>
        <translation>节点 %1 上没有链路“%2”（无论作为主节点还是副本）</translation>
    </message>
    <message>
        <source>from %1 to %2</source>
        <translation>从 %1 到 %2</translation>
    </message>
    <message>
        <source>ferry: table %1 on %2 is fenced: failing over to %3</source>
        <translation>ferry：%2 上的表 %1 已被隔离：正在故障转移到 %3</translation>
    </message>
    <message>
        <source>writes to %1 refused</source>
        <translation>已拒绝对 %1 的写入</translation>
    </message>
    <message>
        <source>all %1 changes applied on %2</source>
        <translation>全部 %1 个变更已在 %2 上应用</translation>
    </message>
    <message>
        <source>ferry: table %1 on %2 is a read-only replica of %3 (epoch %4); write to %3</source>
        <translation>ferry：%2 上的表 %1 是 %3 的只读副本（纪元 %4）；请写入 %3</translation>
    </message>
    <message>
        <source>%1 is primary (epoch %2) after %3 ms</source>
        <translation>%1 已成为主节点（纪元 %2），耗时 %3 毫秒</translation>
    </message>
    <message>
        <source>link %1 does not run from %2 to %3</source>
        <translation>链路 %1 不是从 %2 到 %3 的链路</translation>
    </message>
    <message>
        <source>node %1 has no database &quot;%2&quot;</source>
        <translation>节点 %1 上没有数据库“%2”</translation>
    </message>
    <message>
        <source>primary of %1 in epoch %2; %3 is now its replica</source>
        <translation>在纪元 %2 中成为 %1 的主节点；%3 现在是它的副本</translation>
    </message>
    <message>
        <source>%1 unreachable; promoting %2</source>
        <translation>%1 不可达；正在提升 %2</translation>
    </message>
    <message>
        <source>the primary %1 is reachable: fail over gracefully (ask %1, without --force)</source>
        <translation>主节点 %1 可达：请执行平滑故障转移（向 %1 发起，不加 --force）</translation>
    </message>
    <message>
        <source>%1 is primary (epoch %2) after %3 ms; %4</source>
        <translation>%1 已成为主节点（纪元 %2），耗时 %3 毫秒；%4</translation>
    </message>
    <message>
        <source>%1 cannot demote this node in the name of %2</source>
        <translation>%1 不能以 %2 的名义将本节点降级</translation>
    </message>
    <message>
        <source>%1 is primary since epoch %2: demoting</source>
        <translation>自纪元 %2 起 %1 是主节点：正在降级</translation>
    </message>
    <message>
        <source>written on %1 after the last change %2 applied; %2 became primary in epoch %3</source>
        <translation>在 %2 应用的最后一个变更之后写入 %1；%2 在纪元 %3 中成为主节点</translation>
    </message>
    <message>
        <source>replica of %1 in epoch %2; %3 unreplicated changes kept in _ferry_conflicts</source>
        <translation>在纪元 %2 中成为 %1 的副本；%3 个未复制的变更已保存在 _ferry_conflicts 中</translation>
    </message>
    <message>
        <source>%1 is unreachable, but an automatic failover happened already; run failover-ack on %2 to allow another</source>
        <translation>%1 不可达，但已经发生过一次自动故障转移；请在 %2 上运行 failover-ack 以允许再次自动故障转移</translation>
    </message>
    <message>
        <source>%1 is unreachable from here, but the witness still reaches it</source>
        <translation>从此处无法访问 %1，但见证节点仍能访问它</translation>
    </message>
    <message>
        <source>the witness could not be asked: %1</source>
        <translation>无法询问见证节点：%1</translation>
    </message>
    <message>
        <source>table %1.%2 on %3 is already written by link %4 from %5 (%6.%7); a table takes one writer: remove that link first, or replicate both ways with one bidirectional link</source>
        <translation>%3 上的表 %1.%2 已由来自 %5（%6.%7）的链路 %4 写入；一张表只能有一个写入方：请先删除该链路，或使用一条双向链路进行双向复制</translation>
    </message>
    <message>
        <source>%1 was a replica of %2 in epoch %3; a new link makes it primary in epoch %4</source>
        <translation>%1 在纪元 %3 中是 %2 的副本；新链路使其在纪元 %4 中成为主节点</translation>
    </message>
    <message>
        <source>%1 was heard from again while its write lease ran out: it is alive; fail over gracefully (ask %1)</source>
        <translation>在写租约到期期间又收到了 %1 的消息：它仍在运行；请执行平滑故障转移（向 %1 发起）</translation>
    </message>
    <message>
        <source>at least %1 changes written on %2 between %3 and %4 may be lost (%1 it reported and this node never applied; what it wrote after %5 is unknown here, and it took no writes after %4, when its write lease lapsed); they will be kept in %2&apos;s conflicts table when it returns</source>
        <translation>%2 在 %3 至 %4 之间写入的至少 %1 个变更可能丢失（%1 个是它报告过而本节点从未应用的；它在 %5 之后写入的内容本节点无从得知，而在 %4 其写租约失效后它不再接受写入）；它恢复后这些变更会保留在 %2 的冲突表中</translation>
    </message>
    <message>
        <source>at least %1 changes written on %2 between %3 and now may be lost (%1 it reported and this node never applied; its table was not fenced by a write lease: it takes writes until it learns of epoch %4); they will be kept in %2&apos;s conflicts table when it returns</source>
        <translation>%2 在 %3 至今写入的至少 %1 个变更可能丢失（%1 个是它报告过而本节点从未应用的；它的表没有写租约保护：在得知纪元 %4 之前它仍会接受写入）；它恢复后这些变更会保留在 %2 的冲突表中</translation>
    </message>
    <message>
        <source>%1 is unreachable, but its table %2 was not fenced by a write lease: it may still take writes; fail over with --force once %1 is known to be down</source>
        <translation>%1 不可达，但它的表 %2 没有写租约保护：它可能仍在接受写入；确认 %1 已宕机后再使用 --force 进行故障转移</translation>
    </message>
    <message>
        <source>%1 is taking over link %2 from %3: %3 is no longer confirmed as primary</source>
        <translation>%1 正在从 %3 接管链路 %2：%3 不再被确认为主节点</translation>
    </message>
    <message>
        <source>link %1 replicates %2.%3 on %4 both ways with %5.%6 on %7: after a failover it would go on writing %7&apos;s changes into the replica on %4, and they would never reach %8. Remove link %1 (on %9), fail over, then create it again from %8</source>
        <translation>链路 %1 在 %4 上的 %2.%3 与 %7 上的 %5.%6 之间双向复制：故障转移后它会继续把 %7 的更改写入 %4 上的副本，而这些更改永远不会到达 %8。请先删除链路 %1（在 %9 上），再进行故障转移，然后从 %8 重新创建它</translation>
    </message>
    <message>
        <source>link %1 replicates %2.%3 on %4 both ways; %4 becomes the primary: it goes on unchanged</source>
        <translation>链路 %1 双向复制 %4 上的 %2.%3；%4 成为主节点：该链路照常运行</translation>
    </message>
    <message>
        <source>link %1 goes on from %2.%3 on %4 to %5: once %4 is the replica of %6 it passes %6&apos;s changes on (a cascade)</source>
        <translation>链路 %1 继续从 %4 上的 %2.%3 复制到 %5：%4 成为 %6 的副本后，它把 %6 的更改继续传递下去（级联）</translation>
    </message>
    <message>
        <source>link %1 runs from %2.%3 on %4, which is unreachable: it goes on when %4 returns, as the replica of %5, passing %5&apos;s changes on to %6</source>
        <translation>链路 %1 从 %4 上的 %2.%3 运行，而 %4 不可达：待 %4 作为 %5 的副本恢复后它才继续，把 %5 的更改传递给 %6</translation>
    </message>
    <message>
        <source>link %1 goes on from %2.%3 on %4 to %5: %4 becomes the primary, so it carries the writes applications make on %4 from then on</source>
        <translation>链路 %1 继续从 %4 上的 %2.%3 复制到 %5：%4 成为主节点，此后它传送应用程序在 %4 上的写入</translation>
    </message>
    <message>
        <source>link %1 writes into %2.%3 on %4 from %5: it goes on unchanged</source>
        <translation>链路 %1 从 %5 写入 %4 上的 %2.%3：照常运行</translation>
    </message>
    <message>
        <source>link %1 runs from %2 to %3 in epoch %4; when %3 returns it is demoted first (changes it never replicated go to its conflicts table), then resynchronized</source>
        <translation>链路 %1 在纪元 %4 中从 %2 运行到 %3；%3 恢复时先被降级（它从未复制出去的更改进入其冲突表），然后重新同步</translation>
    </message>
    <message>
        <source>link %1 runs from %2 to %3 in epoch %4 once every pending change is applied on %2; %3 becomes a read-only replica</source>
        <translation>所有待处理的更改在 %2 上应用后，链路 %1 在纪元 %4 中从 %2 运行到 %3；%3 成为只读副本</translation>
    </message>
    <message>
        <source>the other links of %1.%2 on %3 are not known here: %3 is asked nothing in a forced failover</source>
        <translation>此处不知道 %3 上 %1.%2 的其他链路：强制故障转移时不会询问 %3</translation>
    </message>
    <message>
        <source>the links of %1.%2 on %3 are not known: %4</source>
        <translation>%3 上 %1.%2 的链路未知：%4</translation>
    </message>
    <message>
        <source>promote: node &quot;%1&quot; has registered no link %2 into %3.%4 on %5</source>
        <translation>promote：节点“%1”未在 %5 上注册写入 %3.%4 的链路 %2</translation>
    </message>
    <message>
        <source>demote: %1 runs no link %2 from %3.%4 to node &quot;%5&quot;</source>
        <translation>demote：%1 没有运行从 %3.%4 到节点“%5”的链路 %2</translation>
    </message>
    <message>
        <source>table %1 of database link %2: %3</source>
        <translation>数据库链路 %2 的表 %1：%3</translation>
    </message>
    <message>
        <source>from %1 to %2, %3 tables of %4</source>
        <translation>从 %1 到 %2，%4 的 %3 张表</translation>
    </message>
    <message>
        <source>%1 tables</source>
        <translation>%1 张表</translation>
    </message>
    <message>
        <source>the change feed of %1 did not drain in 30 s (%2 of %3 applied)</source>
        <translation>%1 的变更流未能在 30 秒内排空（已应用 %2/%3）</translation>
    </message>
    <message>
        <source>every change of %1 applied on %2</source>
        <translation>%1 的所有变更已在 %2 上应用</translation>
    </message>
    <message>
        <source>%1: %2 is its primary</source>
        <translation>%1：%2 是其主节点</translation>
    </message>
    <message>
        <source>%1: %2 may have been promoted: writes to it stay refused; run the failover again, or check %2</source>
        <translation>%1：%2 可能已被提升：对它的写入仍被拒绝；请再次执行故障切换，或检查 %2</translation>
    </message>
    <message>
        <source>%1: the fence was lifted; this node is still its primary</source>
        <translation>%1：隔离已解除；本节点仍是其主节点</translation>
    </message>
</context>
<context>
    <name>Ferry</name>
    <message>
        <source>cancelled before it finished (for example, the connection was lost)</source>
        <translation>在完成之前被取消（例如连接已断开）</translation>
    </message>
</context>
<context>
    <name>FilePermissions</name>
    <message>
        <source>%1: cannot restrict its permissions to the node&apos;s user</source>
        <translation>%1：无法将其权限限制为仅节点用户可用</translation>
    </message>
    <message>
        <source>%1: the private key can be read or changed by other users than the node&apos;s (chmod 600 %1)</source>
        <translation>%1：私钥可被节点用户以外的其他用户读取或修改（chmod 600 %1）</translation>
    </message>
    <message>
        <source>%1: holds a database password and can be read by other users than the node&apos;s (chmod 600 %1)</source>
        <translation>%1：包含数据库密码，且可被节点用户以外的其他用户读取（chmod 600 %1）</translation>
    </message>
</context>
<context>
    <name>FrameReader</name>
    <message>
        <source>frame length %1 is outside 1..%2 bytes</source>
        <translation>帧长度 %1 超出 1..%2 字节的范围</translation>
    </message>
</context>
<context>
    <name>LinkDefinition</name>
    <message>
        <source>link setting &quot;%1&quot;: %2</source>
        <translation>链路设置“%1”：%2</translation>
    </message>
    <message>
        <source>is missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>must be text</source>
        <translation>必须是文本</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>不能为空</translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <translation>必须是整数</translation>
    </message>
    <message>
        <source>must be from %1 to %2, not %3</source>
        <translation>必须在 %1 到 %2 之间，而不是 %3</translation>
    </message>
    <message>
        <source>must be true or false</source>
        <translation>必须是 true 或 false</translation>
    </message>
    <message>
        <source>must be one of %1, not &quot;%2&quot;</source>
        <translation>必须是 %1 之一，而不是“%2”</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid name (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 64)</source>
        <translation>“%1”不是有效的名称（字母、数字、“.”、“_”、“-”；最多 64 个字符）</translation>
    </message>
    <message>
        <source>must be md5 or sha256, not &quot;%1&quot;</source>
        <translation>必须是 md5 或 sha256，而不是“%1”</translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation>必须是数字</translation>
    </message>
    <message>
        <source>must be from 0 (no cap) to 100000 MB/s</source>
        <translation>必须在 0（不限速）到 100000 MB/s 之间</translation>
    </message>
    <message>
        <source>must be one SQL condition, without &apos;;&apos;</source>
        <translation>必须是单个 SQL 条件，不能包含“;”</translation>
    </message>
    <message>
        <source>newest-wins needs the timestamp column to compare</source>
        <translation>newest-wins 需要指定用于比较的时间戳列</translation>
    </message>
    <message>
        <source>a bidirectional link copies whole tables; remove the filter</source>
        <translation>双向链路复制的是整张表；请去掉过滤条件</translation>
    </message>
    <message>
        <source>automatic failover needs a witness node that can confirm the primary is down</source>
        <translation>自动故障转移需要一个能够确认主节点已宕机的见证节点</translation>
    </message>
    <message>
        <source>a bidirectional link has a writable table on both sides: nothing to fail over</source>
        <translation>双向链路两端的表都可写：没有可故障转移的对象</translation>
    </message>
    <message>
        <source>must be a list of table names or patterns</source>
        <translation>必须是表名或模式的列表</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a table name or pattern (letters, digits, &apos;_&apos;, &apos;$&apos;, &apos;.&apos;, &apos;-&apos;, &apos;*&apos; for any)</source>
        <translation>“%1”不是表名或模式（字母、数字、&apos;_&apos;、&apos;$&apos;、&apos;.&apos;、&apos;-&apos;，&apos;*&apos; 表示任意）</translation>
    </message>
    <message>
        <source>must name at least one table or pattern</source>
        <translation>必须至少指定一个表或模式</translation>
    </message>
    <message>
        <source>a database link names its tables in &quot;tables&quot;, not one source table</source>
        <translation>数据库链路在“tables”中指定其表，而不是单个源表</translation>
    </message>
    <message>
        <source>a database link copies each table to the table of the same name</source>
        <translation>数据库链路将每张表复制到同名表</translation>
    </message>
    <message>
        <source>a database link runs one way; link single tables both ways</source>
        <translation>数据库链路只能单向运行；请为单张表建立双向链路</translation>
    </message>
    <message>
        <source>a database link copies whole tables; a row filter needs a one-table link</source>
        <translation>数据库链路复制整张表；行过滤需要单表链路</translation>
    </message>
    <message>
        <source>not yet for a database link: fail its tables over with ferryctl failover</source>
        <translation>数据库链路暂不支持：请用 ferryctl failover 对其表进行故障切换</translation>
    </message>
</context>
<context>
    <name>LinkManager</name>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: not valid JSON: %2</source>
        <translation>%1：不是有效的 JSON：%2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>node %1 runs no link &quot;%2&quot;</source>
        <translation>节点 %1 上没有运行链路“%2”</translation>
    </message>
    <message>
        <source>node %1 already runs a link &quot;%2&quot;</source>
        <translation>节点 %1 上已在运行链路“%2”</translation>
    </message>
    <message>
        <source>node %1 has no database &quot;%2&quot;</source>
        <translation>节点 %1 上没有数据库“%2”</translation>
    </message>
    <message>
        <source>table &quot;%1&quot; has no column &quot;%2&quot; (timestamp_column)</source>
        <translation>表“%1”没有列“%2”（timestamp_column）</translation>
    </message>
    <message>
        <source>cannot reach the target node: %1</source>
        <translation>无法连接目标节点：%1</translation>
    </message>
    <message>
        <source>%1:%2 is node %3, not %4</source>
        <translation>%1:%2 是节点 %3，而不是 %4</translation>
    </message>
    <message>
        <source>source and target are the same table (%1 on %2)</source>
        <translation>源端和目标端是同一张表（%2 上的 %1）</translation>
    </message>
    <message>
        <source>schemas differ: %1</source>
        <translation>表结构不一致：%1</translation>
    </message>
    <message>
        <source>link %1 created: %2.%3 -&gt; %4 %5.%6 (%7, %8)</source>
        <translation>链路 %1 已创建：%2.%3 -&gt; %4 %5.%6（模式 %7，方向 %8）</translation>
    </message>
    <message>
        <source>link created</source>
        <translation>链路已创建</translation>
    </message>
    <message>
        <source>%1.%2 to %3 %4.%5</source>
        <translation>%1.%2 到 %3 %4.%5</translation>
    </message>
    <message>
        <source>link paused</source>
        <translation>链路已暂停</translation>
    </message>
    <message>
        <source>link resumed</source>
        <translation>链路已恢复</translation>
    </message>
    <message>
        <source>changes wait in the source&apos;s log</source>
        <translation>变更在源端的变更日志中等待</translation>
    </message>
    <message>
        <source>streaming from where it stopped</source>
        <translation>从停止处继续流式复制</translation>
    </message>
    <message>
        <source>link %1 on %2: the reverse direction %3 on %4 could not be told (%5): %6</source>
        <translation>%2 上的链路 %1：无法通知 %4 上的反向链路 %3（%5）：%6</translation>
    </message>
    <message>
        <source>link removed</source>
        <translation>链路已删除</translation>
    </message>
    <message>
        <source>guard lifted, capture dropped</source>
        <translation>已解除写保护，已移除变更捕获</translation>
    </message>
    <message>
        <source>link %1 is the reverse half of link %2: change the settings of %2 on its node</source>
        <translation>链路 %1 是链路 %2 的反向部分：请在 %2 所在节点上修改它的设置</translation>
    </message>
    <message>
        <source>no setting to change (settings: %1)</source>
        <translation>没有要修改的设置（可用设置：%1）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a setting that can be changed (settings: %2)</source>
        <translation>“%1”不是可以修改的设置（可用设置：%2）</translation>
    </message>
    <message>
        <source>link %1: %2</source>
        <translation>链路 %1：%2</translation>
    </message>
    <message>
        <source>link %1 is bidirectional: its conflict policy is set when it is created</source>
        <translation>链路 %1 是双向链路：其冲突策略只能在创建时设置</translation>
    </message>
    <message>
        <source>link %1: automatic failover needs a continuous one-way link</source>
        <translation>链路 %1：自动故障转移需要持续的单向链路</translation>
    </message>
    <message>
        <source>link %1 changed meanwhile: nothing was set; try again</source>
        <translation>链路 %1 在此期间已被修改：未做任何设置；请重试</translation>
    </message>
    <message>
        <source>settings changed</source>
        <translation>设置已修改</translation>
    </message>
    <message>
        <source>nothing differed</source>
        <translation>没有任何不同</translation>
    </message>
    <message>
        <source>every table; changes wait in the source&apos;s logs</source>
        <translation>所有表；变更在源的日志中等待</translation>
    </message>
    <message>
        <source>every table, streaming from where it stopped</source>
        <translation>所有表，从停止处继续流式复制</translation>
    </message>
    <message>
        <source>link %1 replicates one table, not &quot;%2&quot;</source>
        <translation>链路 %1 复制单张表，不是“%2”</translation>
    </message>
    <message>
        <source>database link %1 replicates no table &quot;%2&quot;</source>
        <translation>数据库链路 %1 不复制表“%2”</translation>
    </message>
    <message numerus="yes">
        <source>%n table(s): guards lifted, capture dropped</source>
        <translation>
            <numerusform>%n 张表：保护已解除，捕获已删除</numerusform>
        </translation>
    </message>
    <message>
        <source>link %1 is a table of database link %2: remove %2, or leave the table out of its patterns</source>
        <translation>链路 %1 是数据库链路 %2 的一张表：请删除 %2，或将该表排除在其模式之外</translation>
    </message>
    <message>
        <source>database link taken over</source>
        <translation>已接管数据库链路</translation>
    </message>
    <message>
        <source>%1 to %2 %3, tables %4</source>
        <translation>%1 到 %2 %3，表 %4</translation>
    </message>
    <message>
        <source>database link %1: its settings are set when it is created (remove it and create it again)</source>
        <translation>数据库链路 %1：其设置在创建时确定（请删除后重新创建）</translation>
    </message>
    <message>
        <source>link %1 is a table of database link %2, whose settings are set when it is created</source>
        <translation>链路 %1 是数据库链路 %2 的一张表，其设置在创建时确定</translation>
    </message>
    <message>
        <source>database %1 on %2: %3</source>
        <translation>%2 上的数据库 %1：%3</translation>
    </message>
    <message>
        <source>source and target are the same database (%1 on %2)</source>
        <translation>源和目标是同一个数据库（%2 上的 %1）</translation>
    </message>
    <message>
        <source>table %1: schemas differ: %2</source>
        <translation>表 %1：表结构不同：%2</translation>
    </message>
    <message>
        <source>node %1 already runs a link &quot;%2&quot; (the name table %3 of database link %4 would take)</source>
        <translation>节点 %1 已运行链路“%2”（数据库链路 %4 的表 %3 将使用此名称）</translation>
    </message>
    <message numerus="yes">
        <source>database %1 to %2 %3: %n table(s)</source>
        <translation>
            <numerusform>数据库 %1 到 %2 %3：%n 张表</numerusform>
        </translation>
    </message>
    <message>
        <source>; skipped: %1</source>
        <translation>；已跳过：%1</translation>
    </message>
    <message>
        <source>database link %1 created: %2 -&gt; %3 %4, tables %5 (%6 skipped)</source>
        <translation>数据库链路 %1 已创建：%2 -&gt; %3 %4，表 %5（跳过 %6 张）</translation>
    </message>
    <message>
        <source>table picked up</source>
        <translation>已纳入新表</translation>
    </message>
    <message>
        <source>%1 was created on %2 (%3); copying it to %4, then streaming</source>
        <translation>%1 已在 %2（%3）上创建；正在复制到 %4，随后流式复制</translation>
    </message>
    <message>
        <source>table dropped on the source</source>
        <translation>源上的表已删除</translation>
    </message>
    <message>
        <source>%1 was dropped on %2; dropping it on %3 too (on_drop: drop)</source>
        <translation>%1 已在 %2 上删除；也在 %3 上删除（on_drop: drop）</translation>
    </message>
    <message>
        <source>%1 was dropped on %2; %3 keeps its copy, writable and no longer replicated (on_drop: keep)</source>
        <translation>%1 已在 %2 上删除；%3 保留其副本，可写且不再复制（on_drop: keep）</translation>
    </message>
</context>
<context>
    <name>LinkRunner</name>
    <message>
        <source>link %1: %2</source>
        <translation>链路 %1：%2</translation>
    </message>
    <message>
        <source>node %1 has no database &quot;%2&quot;</source>
        <translation>节点 %1 上没有数据库“%2”</translation>
    </message>
    <message>
        <source>%1:%2 is node %3, not %4</source>
        <translation>%1:%2 是节点 %3，而不是 %4</translation>
    </message>
    <message>
        <source>link %1: created table %2 on %3</source>
        <translation>链路 %1：已在 %3 上创建表 %2</translation>
    </message>
    <message>
        <source>schemas differ: %1</source>
        <translation>表结构不一致：%1</translation>
    </message>
    <message>
        <source>ferry: table %1 on %2 is a read-only replica of %3 on %4 (link %5); write to %4</source>
        <translation>ferry：%2 上的表 %1 是 %4 上的表 %3 的只读副本（链路 %5）；请写入 %4</translation>
    </message>
    <message>
        <source>%1 blocks still differ after repair: %2</source>
        <translation>修复后仍有 %1 个块不一致：%2</translation>
    </message>
    <message>
        <source>could not lift the replica guard on the target: %1</source>
        <translation>无法解除目标端的副本写保护：%1</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>target table created</source>
        <translation>已创建目标表</translation>
    </message>
    <message>
        <source>%1 on %2, from the schema of %3</source>
        <translation>%2 上的 %1，按 %3 的表结构创建</translation>
    </message>
    <message>
        <source>link %1: initial sync done: %2 blocks, %3 differed, %4 repaired, %5 rows sent, %6 s</source>
        <translation>链路 %1：初始同步已完成：%2 个块，%3 个不一致，%4 个已修复，已发送 %5 行，耗时 %6 秒</translation>
    </message>
    <message>
        <source>link %1: verification done: %2 blocks, %3 differed, %4 repaired, %5 rows sent, %6 s</source>
        <translation>链路 %1：校验已完成：%2 个块，%3 个不一致，%4 个已修复，已发送 %5 行，耗时 %6 秒</translation>
    </message>
    <message>
        <source>initial sync done</source>
        <translation>初始同步已完成</translation>
    </message>
    <message>
        <source>verification done</source>
        <translation>校验已完成</translation>
    </message>
    <message>
        <source>%1 blocks, %2 differed, %3 repaired, %4 rows sent in %5 s</source>
        <translation>%1 个块，%2 个不一致，%3 个已修复，%5 秒内发送了 %4 行</translation>
    </message>
    <message>
        <source>link %1: %2 rejoined as a replica; %3 changes it never replicated are kept in its conflicts table</source>
        <translation>链路 %1：%2 已作为副本重新加入；它从未复制出去的 %3 个变更已保存在其冲突表中</translation>
    </message>
    <message>
        <source>%1 has applied changes up to %2 but had acknowledged up to %3; verifying the whole table</source>
        <translation>%1 已应用到变更 %2，但此前已确认到 %3；正在校验整个表</translation>
    </message>
    <message>
        <source>target lost acknowledged changes</source>
        <translation>目标丢失了已确认的变更</translation>
    </message>
    <message>
        <source>after %1 s in error (%2)</source>
        <translation>处于错误状态 %1 秒后（%2）</translation>
    </message>
    <message>
        <source>link %1: recovered %2</source>
        <translation>链路 %1：已恢复，%2</translation>
    </message>
    <message>
        <source>recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>resync</source>
        <translation>重新同步</translation>
    </message>
    <message>
        <source>reading both schemas again, then verifying the whole table</source>
        <translation>重新读取两端的表结构，然后校验整张表</translation>
    </message>
    <message>
        <source>source capture lost</source>
        <translation>源端变更捕获丢失</translation>
    </message>
    <message>
        <source>the capture triggers of %1 on %2 were gone (the table was dropped and created again, or its triggers dropped); changes made meanwhile were not captured. Reinstalled them; run ferryctl link verify from the side that holds the right rows</source>
        <translation>%2 上 %1 的捕获触发器已不存在（该表被删除后重建，或其触发器被删除）；期间的变更未被捕获。已重新安装触发器；请从持有正确数据的一端运行 ferryctl link verify</translation>
    </message>
    <message>
        <source>the capture triggers of %1 on %2 were gone (the table was dropped and created again, or its triggers dropped); changes made meanwhile were not captured. Reinstalled them; verifying the whole table</source>
        <translation>%2 上 %1 的捕获触发器已不存在（该表被删除后重建，或其触发器被删除）；期间的变更未被捕获。已重新安装触发器，正在校验整张表</translation>
    </message>
    <message>
        <source>target table replaced</source>
        <translation>目标表已被替换</translation>
    </message>
    <message>
        <source>the replica guard of %1 on %2 was gone (the table was dropped and created again, or its triggers dropped); put it back, verifying the whole table</source>
        <translation>%2 上 %1 的副本保护已不存在（该表被删除后重建，或其触发器被删除）；已重新设置，正在校验整张表</translation>
    </message>
    <message>
        <source>source database restored or replaced</source>
        <translation>源数据库已被恢复或替换</translation>
    </message>
    <message>
        <source>database %1 on %2 no longer holds the mark of link %3: it was restored from a backup or replaced. Verifying the whole table so that the target equals it</source>
        <translation>%2 上的数据库 %1 不再包含链路 %3 的标记：它已从备份恢复或被替换。正在校验整张表，使目标端与其一致</translation>
    </message>
    <message>
        <source>database %1 on %2 holds an older mark of link %3 (%4, expected %5): it was restored from a backup. Verifying the whole table so that the target equals it</source>
        <translation>%2 上的数据库 %1 包含链路 %3 的旧标记（%4，应为 %5）：它已从备份恢复。正在校验整张表，使目标端与其一致</translation>
    </message>
    <message>
        <source>link %1: %2: %3</source>
        <translation>链路 %1：%2：%3</translation>
    </message>
    <message>
        <source>link %1 runs both ways: not repaired automatically; run ferryctl link verify from the side that holds the right rows</source>
        <translation>链路 %1 为双向复制：不会自动修复；请从持有正确数据的一端运行 ferryctl link verify</translation>
    </message>
    <message>
        <source>%1 on %2 was dropped behind the link; created it again from the schema of %3, copying the whole table</source>
        <translation>%2 上的 %1 在链路不知情时被删除；已按 %3 的表结构重新创建，正在复制整张表</translation>
    </message>
    <message>
        <source>schema changed: %1; resync the link once both tables match</source>
        <translation>表结构已变更：%1；两张表一致后请重新同步（resync）该链路</translation>
    </message>
    <message>
        <source>large transaction</source>
        <translation>大事务</translation>
    </message>
    <message>
        <source>more than %1 MB of changes without a known transaction boundary: applied in parts up to change %2</source>
        <translation>超过 %1 MB 的变更中没有已知的事务边界：已分批应用至变更 %2</translation>
    </message>
    <message>
        <source>schema changed: %1 (on %2); nothing of it was applied; resync the link once both tables match</source>
        <translation>表结构已变更：%1（在 %2 上）；其变更均未应用；两张表一致后请重新同步（resync）该链路</translation>
    </message>
    <message>
        <source>%1 on %2; resync the link once both tables match</source>
        <translation>%1（在 %2 上）；两张表一致后请重新同步（resync）该链路</translation>
    </message>
    <message>
        <source>ferry: table %1 on %2 is fenced: its write lease lapsed because %3 has not confirmed %2 as primary (link %4); %3 may have taken over</source>
        <translation>ferry：%2 上的表 %1 已被隔离：由于 %3 未确认 %2 为主节点（链路 %4），其写租约已失效；%3 可能已经接管</translation>
    </message>
    <message>
        <source>write lease taken</source>
        <translation>已获取写租约</translation>
    </message>
    <message>
        <source>%1 may promote itself: %2 takes writes only while %1 answers (lease %3 ms)</source>
        <translation>%1 可能自行提升：只有在 %1 应答期间 %2 才接受写入（租约 %3 毫秒）</translation>
    </message>
    <message>
        <source>write lease released</source>
        <translation>已释放写租约</translation>
    </message>
    <message>
        <source>%1 will not promote itself automatically</source>
        <translation>%1 不会自动提升自身</translation>
    </message>
    <message>
        <source>replica guard not lifted</source>
        <translation>副本保护未解除</translation>
    </message>
    <message>
        <source>%1 could not be reached (%2): table %3 there stays read-only until the guard is lifted</source>
        <translation>无法连接 %1（%2）：该节点上的表 %3 在保护解除前保持只读</translation>
    </message>
    <message>
        <source>%1 blocks, all equal (read-only, nothing changed; %2 blocks differed only until the feed caught up)</source>
        <translation>%1 个块，全部一致（只读，未做任何更改；%2 个块仅在变更流追上之前不同）</translation>
    </message>
    <message>
        <source>%1 blocks, %2 differ: %3 keys missing on the target, %4 extra, %5 with other values (read-only, nothing changed; Repair makes the target match)</source>
        <translation>%1 个块，%2 个不同：目标缺少 %3 个键，多出 %4 个，%5 个值不同（只读，未做任何更改；“修复”可使目标与源一致）</translation>
    </message>
    <message>
        <source>link %1: check done: %2</source>
        <translation>链路 %1：检查完成：%2</translation>
    </message>
    <message>
        <source>verification (read-only) done</source>
        <translation>校验（只读）完成</translation>
    </message>
    <message>
        <source>the replication slot or publication %1 of %2 on %3 was gone or no longer held the table (the table was dropped and created again, or the slot dropped); changes made meanwhile were not captured. Created them again; verifying the whole table</source>
        <translation>%3 上 %2 的复制槽或发布 %1 已不存在或不再包含该表（表被删除后重建，或复制槽被删除）；期间的变更未被捕获。已重新创建，正在校验整张表</translation>
    </message>
    <message>
        <source>replication slot not dropped</source>
        <translation>复制槽未删除</translation>
    </message>
    <message>
        <source>%1: drop it by hand (SELECT pg_drop_replication_slot(&apos;%2&apos;)), or it keeps WAL on the server</source>
        <translation>%1：请手动删除（SELECT pg_drop_replication_slot(&apos;%2&apos;)），否则它会在服务器上持续保留 WAL</translation>
    </message>
    <message>
        <source>the replication slot %1 of link %2 on %3 was gone; created it again. Changes made meanwhile were not captured: verifying the whole table</source>
        <translation>%3 上链路 %2 的复制槽 %1 已不存在；已重新创建。期间的变更未被捕获：正在校验整张表</translation>
    </message>
    <message>
        <source>the replication slot %1 of link %2 on %3 kept %4 MB of WAL, more than max_slot_wal_mb (%5 MB): the target did not keep up or was away. Dropped the slot so that the server&apos;s disk does not fill; changes from now on are not captured. Run ferryctl link resync %2 to verify the whole table and stream again</source>
        <translation>%3 上链路 %2 的复制槽 %1 保留了 %4 MB 的 WAL，超过 max_slot_wal_mb（%5 MB）：目标端跟不上或已离线。为避免服务器磁盘被占满，已删除该复制槽；此后的变更不再被捕获。请运行 ferryctl link resync %2 校验整张表并恢复流式复制</translation>
    </message>
    <message>
        <source>replication slot dropped</source>
        <translation>复制槽已删除</translation>
    </message>
    <message>
        <source>%1 added to %2 on %3 and to %4 on %5; verifying the whole table for their values</source>
        <translation>%1 已添加到 %3 上的 %2 和 %5 上的 %4；正在校验整张表以获得其值</translation>
    </message>
    <message>
        <source>no column</source>
        <translation>无列</translation>
    </message>
    <message>
        <source>columns added</source>
        <translation>已添加列</translation>
    </message>
    <message>
        <source>table dropped on the target</source>
        <translation>目标上的表已删除</translation>
    </message>
    <message>
        <source>%1 was dropped on %2; %3 on %4 dropped too (database link %5 drops them)</source>
        <translation>%1 已在 %2 上删除；%4 上的 %3 也已删除（数据库链路 %5 会删除它们）</translation>
    </message>
    <message>
        <source>table not dropped on the target</source>
        <translation>目标上的表未删除</translation>
    </message>
    <message>
        <source>%1 on %2: %3; it is kept</source>
        <translation>%2 上的 %1：%3；已保留</translation>
    </message>
    <message>
        <source>link %1 streams alone: %2</source>
        <translation>链路 %1 单独传输：%2</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>the initial sync of %1 waits for that of the tables it references: %2</source>
        <translation>%1 的初始同步等待其引用的表完成初始同步：%2</translation>
    </message>
</context>
<context>
    <name>LogicalCapture</name>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1：无法连接：%2</translation>
    </message>
    <message>
        <source>%1: wal_level is %2, and Ferry reads a PostgreSQL table&apos;s changes through logical decoding: set wal_level = logical (ALTER SYSTEM SET wal_level = logical, or in postgresql.conf) and restart the server</source>
        <translation>%1：wal_level 为 %2，而 Ferry 通过逻辑解码读取 PostgreSQL 表的变更：请设置 wal_level = logical（ALTER SYSTEM SET wal_level = logical，或在 postgresql.conf 中设置）并重启服务器</translation>
    </message>
    <message>
        <source>%1: role %2 may not read the WAL: give it the REPLICATION attribute (ALTER ROLE %2 REPLICATION)</source>
        <translation>%1：角色 %2 无权读取 WAL：请授予其 REPLICATION 属性（ALTER ROLE %2 REPLICATION）</translation>
    </message>
    <message>
        <source>%1: all %2 replication slots are in use (max_replication_slots): raise max_replication_slots and restart the server, or drop a slot no longer needed (SELECT pg_drop_replication_slot(name) from pg_replication_slots)</source>
        <translation>%1：全部 %2 个复制槽都已被占用（max_replication_slots）：请调大 max_replication_slots 并重启服务器，或删除不再需要的复制槽（SELECT pg_drop_replication_slot(name) from pg_replication_slots）</translation>
    </message>
    <message>
        <source>%1: every WAL sender is busy (max_wal_senders): raise max_wal_senders and restart the server</source>
        <translation>%1：所有 WAL 发送进程都在使用中（max_wal_senders）：请调大 max_wal_senders 并重启服务器</translation>
    </message>
    <message>
        <source>%1: table %2 has REPLICA IDENTITY %3: its deletes would not carry the primary key; set ALTER TABLE %2 REPLICA IDENTITY DEFAULT</source>
        <translation>%1：表 %2 的 REPLICA IDENTITY 为 %3：其删除操作不会携带主键；请执行 ALTER TABLE %2 REPLICA IDENTITY DEFAULT</translation>
    </message>
    <message>
        <source>%1: role %2 may not create a publication in this database: GRANT CREATE ON DATABASE %3 TO %2</source>
        <translation>%1：角色 %2 无权在此数据库中创建发布：请执行 GRANT CREATE ON DATABASE %3 TO %2</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; of table &quot;%2&quot; changed to a type Ferry cannot replicate (type oid %3)</source>
        <translation>表 &quot;%2&quot; 的列 &quot;%1&quot; 改成了 Ferry 无法复制的类型（类型 oid %3）</translation>
    </message>
    <message>
        <source>%1: a change of table %2 came without its primary key (replica identity)</source>
        <translation>%1：表 %2 的一条变更没有携带主键（复制标识）</translation>
    </message>
    <message>
        <source>%1: column &quot;%2&quot; of table %3: cannot read &quot;%4&quot;</source>
        <translation>%1：表 %3 的列 &quot;%2&quot;：无法读取 &quot;%4&quot;</translation>
    </message>
    <message>
        <source>%1: a change of relation %2 came before its description</source>
        <translation>%1：关系 %2 的变更先于其描述到达</translation>
    </message>
    <message>
        <source>%1: a change of table %2 has %3 columns, the table %4</source>
        <translation>%1：表 %2 的一条变更有 %3 列，而该表有 %4 列</translation>
    </message>
</context>
<context>
    <name>Message</name>
    <message>
        <source>the frame is not valid CBOR: %1 at byte %2</source>
        <translation>帧不是有效的 CBOR：%1（位于第 %2 字节）</translation>
    </message>
    <message>
        <source>the frame holds more than one CBOR value</source>
        <translation>帧中包含多个 CBOR 值</translation>
    </message>
    <message>
        <source>the message is not a CBOR map</source>
        <translation>消息不是 CBOR 映射</translation>
    </message>
    <message>
        <source>a map of the message holds key %1 more than once</source>
        <translation>消息中的某个映射多次包含键 %1</translation>
    </message>
    <message>
        <source>the message has no type (&quot;t&quot;)</source>
        <translation>消息没有类型（“t”）</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: the request id is not an integer in 0..2^53</source>
        <translation>消息“%1”：请求 ID 不是 0..2^53 范围内的整数</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: malformed compressed body</source>
        <translation>消息“%1”：压缩消息体格式错误</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: compressed body is not a CBOR map</source>
        <translation>消息“%1”：压缩消息体不是 CBOR 映射</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: field &quot;%2&quot; %3</source>
        <translation>消息“%1”：字段“%2”%3</translation>
    </message>
    <message>
        <source>is missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>is not a string</source>
        <translation>不是字符串</translation>
    </message>
    <message>
        <source>is not an integer</source>
        <translation>不是整数</translation>
    </message>
    <message>
        <source>is %1, outside %2..%3</source>
        <translation>为 %1，超出 %2..%3 的范围</translation>
    </message>
    <message>
        <source>is not a boolean</source>
        <translation>不是布尔值</translation>
    </message>
    <message>
        <source>is not an array</source>
        <translation>不是数组</translation>
    </message>
    <message>
        <source>is not a map</source>
        <translation>不是映射</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: the compressed body declares %2 bytes (1 to %3 allowed)</source>
        <translation>消息“%1”：压缩消息体声明的大小为 %2 字节（允许 1 到 %3）</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: the compressed body does not decompress to its declared size</source>
        <translation>消息“%1”：压缩消息体解压后的大小与声明的不符</translation>
    </message>
    <message>
        <source>message &quot;%1&quot;: compressed body holds &quot;t&quot; or &quot;id&quot;</source>
        <translation>消息“%1”：压缩消息体中包含“t”或“id”</translation>
    </message>
    <message>
        <source>%1: field &quot;%2&quot; is %3 characters long; at most %4</source>
        <translation>%1：字段“%2”长 %3 个字符；最多 %4 个</translation>
    </message>
</context>
<context>
    <name>NodeClient</name>
    <message>
        <source>%1: no answer within %2 ms</source>
        <translation>%1：%2 毫秒内没有应答</translation>
    </message>
    <message>
        <source>%1: the connection was closed</source>
        <translation>%1：连接已关闭</translation>
    </message>
    <message>
        <source>%1: not connected</source>
        <translation>%1：未连接</translation>
    </message>
    <message>
        <source>%1: TLS: %2</source>
        <translation>%1：TLS 错误：%2</translation>
    </message>
    <message>
        <source>%1: the node closed the connection</source>
        <translation>%1：节点关闭了连接</translation>
    </message>
    <message>
        <source>%1: protocol error: %2</source>
        <translation>%1：协议错误：%2</translation>
    </message>
    <message>
        <source>expected hello, got &quot;%1&quot;</source>
        <translation>应为 hello，实际收到“%1”</translation>
    </message>
    <message>
        <source>a &quot;%1&quot; message answers no request</source>
        <translation>“%1”消息没有对应的请求</translation>
    </message>
    <message>
        <source>%1: nothing received for %2 s with a request unanswered; reconnecting</source>
        <translation>%1：请求未获应答，且 %2 秒内未收到任何数据；正在重新连接</translation>
    </message>
    <message>
        <source>%1: the certificate names node &quot;%2&quot;, not %3, the node this connection is meant for</source>
        <translation>%1：证书标明的节点是“%2”，而不是本连接要访问的节点 %3</translation>
    </message>
    <message>
        <source>the node says it is &quot;%1&quot; but its certificate names &quot;%2&quot;</source>
        <translation>该节点自称“%1”，但其证书标明的是“%2”</translation>
    </message>
</context>
<context>
    <name>NodeConfig</name>
    <message>
        <source>missing (a string is required)</source>
        <translation>缺失（需要一个字符串）</translation>
    </message>
    <message>
        <source>must be a string</source>
        <translation>必须是字符串</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>不能为空</translation>
    </message>
    <message>
        <source>missing (an object is required)</source>
        <translation>缺失（需要一个对象）</translation>
    </message>
    <message>
        <source>must be an object</source>
        <translation>必须是对象</translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <source>%1 is not a readable file</source>
        <translation>%1 不是可读的文件</translation>
    </message>
    <message>
        <source>unknown setting (known: %1)</source>
        <translation>未知设置（已知设置：%1）</translation>
    </message>
    <message>
        <source>%1: no such config file</source>
        <translation>%1：配置文件不存在</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: larger than 1 MiB, not a Ferry node config</source>
        <translation>%1：大于 1 MiB，不是 Ferry 节点配置</translation>
    </message>
    <message>
        <source>%1: line %2: not valid JSON: %3</source>
        <translation>%1：第 %2 行：不是有效的 JSON：%3</translation>
    </message>
    <message>
        <source>%1: the config must be a JSON object</source>
        <translation>%1：配置必须是一个 JSON 对象</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a node name (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 63)</source>
        <translation>“%1”不是有效的节点名称（字母、数字、“.”、“_”、“-”；最多 63 个字符）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation>“%1”不是有效的 IP 地址</translation>
    </message>
    <message>
        <source>missing (a port number is required)</source>
        <translation>缺失（需要端口号）</translation>
    </message>
    <message>
        <source>must be a whole number from 0 to 65535</source>
        <translation>必须是 0 到 65535 之间的整数</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a database name (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;)</source>
        <translation>“%1”不是有效的数据库名称（字母、数字、“.”、“_”、“-”）</translation>
    </message>
    <message>
        <source>must be a string: sqlite:PATH or postgresql://USER@HOST:PORT/DB</source>
        <translation>必须是字符串：sqlite:PATH 或 postgresql://USER@HOST:PORT/DB</translation>
    </message>
    <message>
        <source>names a table; a node serves whole databases (drop ?table=)</source>
        <translation>指定了表；节点提供的是整个数据库（请去掉 ?table=）</translation>
    </message>
    <message>
        <source>at least one database is required</source>
        <translation>至少需要一个数据库</translation>
    </message>
    <message>
        <source>%1 exists and is not a directory</source>
        <translation>%1 已存在且不是目录</translation>
    </message>
    <message>
        <source>must be a whole number of milliseconds from 10 to 60000</source>
        <translation>必须是 10 到 60000 之间的整数毫秒数</translation>
    </message>
    <message>
        <source>must be a whole number from %1 to %2</source>
        <translation>必须是 %1 到 %2 之间的整数</translation>
    </message>
    <message>
        <source>must be a whole number of megabytes from 1 to 16777216</source>
        <translation>必须是 1 到 16777216 之间的整数（MB）</translation>
    </message>
</context>
<context>
    <name>NodeServer</name>
    <message>
        <source>refused %1: %2</source>
        <translation>已拒绝 %1：%2</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>无法在 %1:%2 上监听：%3</translation>
    </message>
    <message>
        <source>node started</source>
        <translation>节点已启动</translation>
    </message>
    <message>
        <source>listening on port %1</source>
        <translation>正在监听端口 %1</translation>
    </message>
    <message>
        <source>%1: the certificate names &quot;%2&quot;, not this node (&quot;%3&quot;); issue one for %3 (ferryctl certs issue DIR %3)</source>
        <translation>%1：证书标明的是“%2”，而不是本节点（“%3”）；请为 %3 签发证书（ferryctl certs issue DIR %3）</translation>
    </message>
    <message>
        <source>%1 connections in all; no more are taken</source>
        <translation>总连接数已达 %1；不再接受新连接</translation>
    </message>
    <message>
        <source>%1 connections of certificate &quot;%2&quot; already; no more are taken</source>
        <translation>证书“%2”已有 %1 个连接；不再接受新连接</translation>
    </message>
    <message>
        <source>refused %1:%2: %3</source>
        <translation>已拒绝 %1:%2：%3</translation>
    </message>
    <message>
        <source>refused a connection: %1</source>
        <translation>已拒绝一个连接：%1</translation>
    </message>
    <message>
        <source>%1 unfinished TLS handshakes from this address; dropped the oldest</source>
        <translation>来自该地址的未完成 TLS 握手已达 %1 个；已丢弃最早的一个</translation>
    </message>
    <message>
        <source>%1 unfinished TLS handshakes in all; dropped the oldest</source>
        <translation>未完成的 TLS 握手总数已达 %1 个；已丢弃最早的一个</translation>
    </message>
    <message>
        <source>no TLS handshake within %1 ms</source>
        <translation>%1 毫秒内未完成 TLS 握手</translation>
    </message>
</context>
<context>
    <name>NodeUrl</name>
    <message>
        <source>%1: not a node URL (expected ferry://HOST:PORT/DB?table=NAME)</source>
        <translation>%1：不是节点 URL（格式应为 ferry://HOST:PORT/DB?table=NAME）</translation>
    </message>
    <message>
        <source>%1: no host</source>
        <translation>%1：缺少主机</translation>
    </message>
    <message>
        <source>%1: port must be 1 to 65535</source>
        <translation>%1：端口必须在 1 到 65535 之间</translation>
    </message>
    <message>
        <source>%1: unknown parameter &quot;%2&quot; (only table=NAME is understood)</source>
        <translation>%1：未知参数“%2”（只支持 table=NAME）</translation>
    </message>
    <message>
        <source>%1: no database (expected ferry://HOST:PORT/DB)</source>
        <translation>%1：缺少数据库名（格式应为 ferry://HOST:PORT/DB）</translation>
    </message>
    <message>
        <source>%1: no table given (add ?table=NAME)</source>
        <translation>%1：未指定表（请添加 ?table=NAME）</translation>
    </message>
    <message>
        <source>%1: a node URL must not have a user name or a fragment</source>
        <translation>%1：节点 URL 不能包含用户名或片段（fragment）</translation>
    </message>
    <message>
        <source>%1: the path must be a single database name</source>
        <translation>%1：路径必须是单个数据库名</translation>
    </message>
</context>
<context>
    <name>PeerSession</name>
    <message>
        <source>unknown digest &quot;%1&quot;</source>
        <translation>未知的摘要算法“%1”</translation>
    </message>
    <message>
        <source>connection from %1</source>
        <translation>来自 %1 的连接</translation>
    </message>
    <message>
        <source>%1 disconnected</source>
        <translation>%1 已断开连接</translation>
    </message>
    <message>
        <source>closing the connection from %1: %2 (%3)</source>
        <translation>正在关闭来自 %1 的连接：%2（%3）</translation>
    </message>
    <message>
        <source>internal error</source>
        <translation>内部错误</translation>
    </message>
    <message>
        <source>&quot;%1&quot; before hello</source>
        <translation>在 hello 之前收到“%1”</translation>
    </message>
    <message>
        <source>unknown message &quot;%1&quot;</source>
        <translation>未知消息“%1”</translation>
    </message>
    <message>
        <source>node %1 has no database &quot;%2&quot;</source>
        <translation>节点 %1 上没有数据库“%2”</translation>
    </message>
    <message>
        <source>holds a value that is not an integer</source>
        <translation>包含非整数的值</translation>
    </message>
    <message>
        <source>protocol version(s) %1 not supported; this node speaks %2 to %3</source>
        <translation>不支持协议版本 %1；本节点支持的版本为 %2 到 %3</translation>
    </message>
    <message>
        <source>compare for %1 done: %2 blocks, %3 differed, %4 repaired, %5 failed, %6 s</source>
        <translation>为 %1 执行的比较已完成：%2 个块，%3 个不一致，%4 个已修复，%5 个失败，耗时 %6 秒</translation>
    </message>
    <message>
        <source>compare for %1 failed: %2</source>
        <translation>为 %1 执行的比较失败：%2</translation>
    </message>
    <message>
        <source>apply from a peer that gave no node name in its hello</source>
        <translation>apply 请求来自一个未在 hello 中提供节点名称的对端</translation>
    </message>
    <message>
        <source>%1 asked to create link %2</source>
        <translation>%1 请求创建链路 %2</translation>
    </message>
    <message>
        <source>%1: removing link %2</source>
        <translation>%1：正在删除链路 %2</translation>
    </message>
    <message>
        <source>%1 asked to repair %2.%3 against %4:%5/%6.%7</source>
        <translation>%1 请求以 %4:%5/%6.%7 为准修复 %2.%3</translation>
    </message>
    <message>
        <source>%1 asked to compare %2.%3 with %4:%5/%6.%7</source>
        <translation>%1 请求将 %2.%3 与 %4:%5/%6.%7 进行比较</translation>
    </message>
    <message>
        <source>%1: link %2 paused</source>
        <translation>%1：链路 %2 已暂停</translation>
    </message>
    <message>
        <source>%1: link %2 resumed</source>
        <translation>%1：链路 %2 已恢复</translation>
    </message>
    <message>
        <source>%1 asked to fail link %2 over to %3%4</source>
        <translation>%1 请求将链路 %2 故障转移到 %3%4</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>frames received in part from %1 would pass %2 MiB from this peer or %3 MiB in all</source>
        <translation>从 %1 收到的未完整帧将超过每个对端 %2 MiB 或总计 %3 MiB 的上限</translation>
    </message>
    <message>
        <source>no hello within %1 ms</source>
        <translation>%1 毫秒内未收到 hello</translation>
    </message>
    <message>
        <source>idle for %1 s</source>
        <translation>已空闲 %1 秒</translation>
    </message>
    <message>
        <source>more than %1 MiB of replies not read by the peer</source>
        <translation>对端有超过 %1 MiB 的回复未读取</translation>
    </message>
    <message>
        <source>refused: %1 (%2)</source>
        <translation>已拒绝：%1（%2）</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>&quot;%1&quot;%2 needs the role %3; the certificate &quot;%4&quot; has the role %5</source>
        <translation>“%1”%2 需要角色 %3；证书“%4”的角色是 %5</translation>
    </message>
    <message>
        <source>the hello claims node &quot;%1&quot; but the certificate names &quot;%2&quot;</source>
        <translation>hello 声称是节点“%1”，但证书标明的是“%2”</translation>
    </message>
    <message>
        <source>register_link: link %1 comes from node &quot;%2&quot;, not from &quot;%3&quot;, the certificate that asks</source>
        <translation>register_link：链路 %1 来自节点“%2”，而不是发出请求的证书“%3”</translation>
    </message>
    <message>
        <source>apply: this node has no link &quot;%1&quot; registered by &quot;%2&quot;</source>
        <translation>apply：本节点没有由“%2”注册的链路“%1”</translation>
    </message>
    <message>
        <source>apply: link %1 comes from node &quot;%2&quot;, not from &quot;%3&quot;</source>
        <translation>apply：链路 %1 来自节点“%2”，而不是“%3”</translation>
    </message>
    <message>
        <source>register_link: link %1 is registered by node &quot;%2&quot;, not by &quot;%3&quot;</source>
        <translation>register_link：链路 %1 已由节点“%2”注册，而不是“%3”</translation>
    </message>
    <message>
        <source>link %1 sent more than %2 MB of one source transaction</source>
        <translation>链路 %1 发送的单个源事务超过 %2 MB</translation>
    </message>
    <message>
        <source>%1: changing settings of link %2</source>
        <translation>%1：正在修改链路 %2 的设置</translation>
    </message>
    <message>
        <source>%1: resynchronizing link %2</source>
        <translation>%1：正在重新同步链路 %2</translation>
    </message>
    <message>
        <source>create link</source>
        <translation>创建链路</translation>
    </message>
    <message>
        <source>pause link</source>
        <translation>暂停链路</translation>
    </message>
    <message>
        <source>resume link</source>
        <translation>恢复链路</translation>
    </message>
    <message>
        <source>verify link</source>
        <translation>校验链路</translation>
    </message>
    <message>
        <source>remove link</source>
        <translation>删除链路</translation>
    </message>
    <message>
        <source>change link settings</source>
        <translation>修改链路设置</translation>
    </message>
    <message>
        <source>resync link</source>
        <translation>重新同步链路</translation>
    </message>
    <message>
        <source>fail over</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>acknowledge failover</source>
        <translation>确认故障转移</translation>
    </message>
    <message>
        <source>compare tables</source>
        <translation>比较表</translation>
    </message>
    <message>
        <source>register inbound link</source>
        <translation>登记入站链路</translation>
    </message>
    <message>
        <source>unregister inbound link</source>
        <translation>注销入站链路</translation>
    </message>
    <message>
        <source>promote</source>
        <translation>提升为主</translation>
    </message>
    <message>
        <source>demote</source>
        <translation>降级为副本</translation>
    </message>
    <message>
        <source>set replica guard</source>
        <translation>设置副本保护</translation>
    </message>
    <message>
        <source>create table</source>
        <translation>创建表</translation>
    </message>
    <message>
        <source>request: %1</source>
        <translation>请求：%1</translation>
    </message>
    <message>
        <source>conflicts recorded</source>
        <translation>已记录冲突</translation>
    </message>
    <message>
        <source>%1 conflicting changes to %2 decided by the link&apos;s policy; both versions are kept in _ferry_conflicts</source>
        <translation>%2 的 %1 个冲突变更已按链路策略裁决；两个版本均保存在 _ferry_conflicts 中</translation>
    </message>
    <message>
        <source>allow a repair</source>
        <translation>允许修复</translation>
    </message>
    <message>
        <source>replace rows</source>
        <translation>替换行</translation>
    </message>
    <message>
        <source>apply changes</source>
        <translation>应用变更</translation>
    </message>
    <message>
        <source>%1 allowed node %2 to repair %3.%4</source>
        <translation>%1 允许节点 %2 修复 %3.%4</translation>
    </message>
    <message>
        <source>%1 took back the repair of %3.%4 by node %2</source>
        <translation>%1 收回了节点 %2 对 %3.%4 的修复许可</translation>
    </message>
    <message>
        <source>%1 on %2.%3 names no link; only the source node of a link into that table may ask it</source>
        <translation>%2.%3 上的 %1 未指明链路；只有写入该表的链路的源节点才能发出此请求</translation>
    </message>
    <message>
        <source>%1: this node has no link &quot;%2&quot; registered by &quot;%3&quot;</source>
        <translation>%1：此节点没有由“%3”注册的链路“%2”</translation>
    </message>
    <message>
        <source>%1: link %2 comes from node &quot;%3&quot;, not from &quot;%4&quot;</source>
        <translation>%1：链路 %2 来自节点“%3”，而不是“%4”</translation>
    </message>
    <message>
        <source>%1: link %2 writes %3.%4, not %5.%6</source>
        <translation>%1：链路 %2 写入的是 %3.%4，而不是 %5.%6</translation>
    </message>
    <message>
        <source>replace on %1.%2 names no link, and no admin allowed node &quot;%3&quot; to repair that table (ferryctl compare --repair does)</source>
        <translation>%1.%2 上的 replace 未指明链路，且没有管理员允许节点“%3”修复该表（ferryctl compare --repair 会请求此许可）</translation>
    </message>
    <message>
        <source>%1: link %2 is not the reverse half of a link from node &quot;%3&quot;</source>
        <translation>%1：链路 %2 不是来自节点“%3”的链路的反向部分</translation>
    </message>
    <message>
        <source>link_create: node &quot;%1&quot; may only create the reverse half of a link it registered here; %2 is not one</source>
        <translation>link_create：节点“%1”只能创建它在此注册的链路的反向部分；%2 不是</translation>
    </message>
    <message>
        <source>unregister_link: link %1 is registered by node &quot;%2&quot;, not by &quot;%3&quot;</source>
        <translation>unregister_link：链路 %1 由节点“%2”注册，而不是“%3”</translation>
    </message>
    <message>
        <source>write a conflict&apos;s version</source>
        <translation>写入冲突的一个版本</translation>
    </message>
    <message>
        <source>conflict %1: the %2 version of %3.%4, key %5</source>
        <translation>冲突 %1：%3.%4 中键 %5 的 %2 版本</translation>
    </message>
    <message>
        <source>conflict_apply: version must be &quot;kept&quot; or &quot;lost&quot;, not &quot;%1&quot;</source>
        <translation>conflict_apply：version 必须是 &quot;kept&quot; 或 &quot;lost&quot;，而不是 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1 asked to write the %2 version of conflict %3 (%4.%5, key %6)</source>
        <translation>%1 请求写入冲突 %3 的 %2 版本（%4.%5，键 %6）</translation>
    </message>
    <message>
        <source>add columns</source>
        <translation>添加列</translation>
    </message>
    <message>
        <source>drop table</source>
        <translation>删除表</translation>
    </message>
    <message>
        <source>drop_table: link %1 is not part of a database link that drops the tables dropped on its source; %2.%3 is kept</source>
        <translation>drop_table：链路 %1 不属于会删除源上已删除表的数据库链路；%2.%3 保留</translation>
    </message>
    <message>
        <source>apply a transaction over several tables</source>
        <translation>应用跨多个表的事务</translation>
    </message>
    <message>
        <source>apply_group: a part is not a map</source>
        <translation>apply_group：某个部分不是映射</translation>
    </message>
    <message>
        <source>apply_group: link %1 is not a table of database link &quot;%2&quot;</source>
        <translation>apply_group：链路 %1 不是数据库链路“%2”中的表</translation>
    </message>
</context>
<context>
    <name>PgCopyWriter</name>
    <message>
        <source>value %1 is out of range for type %2 of column &quot;%3&quot;</source>
        <translation>值 %1 超出列“%3”的类型 %2 的范围</translation>
    </message>
    <message>
        <source>timestamp %1 is out of range for column &quot;%2&quot;</source>
        <translation>时间戳 %1 超出列“%2”的范围</translation>
    </message>
</context>
<context>
    <name>PgOutputDecoder</name>
    <message>
        <source>pgoutput message &apos;%1&apos; is cut short</source>
        <translation>pgoutput 消息 &apos;%1&apos; 不完整</translation>
    </message>
    <message>
        <source>pgoutput tuple has a column of unknown kind &apos;%1&apos;</source>
        <translation>pgoutput 元组中有未知类型 &apos;%1&apos; 的列</translation>
    </message>
    <message>
        <source>empty pgoutput message</source>
        <translation>空的 pgoutput 消息</translation>
    </message>
    <message>
        <source>pgoutput message &apos;%1&apos; outside a transaction</source>
        <translation>pgoutput 消息 &apos;%1&apos; 出现在事务之外</translation>
    </message>
    <message>
        <source>pgoutput commit does not match its begin</source>
        <translation>pgoutput 的提交与其开始消息不匹配</translation>
    </message>
    <message>
        <source>pgoutput insert without a new row</source>
        <translation>pgoutput 插入消息缺少新行</translation>
    </message>
    <message>
        <source>pgoutput update without a new row</source>
        <translation>pgoutput 更新消息缺少新行</translation>
    </message>
    <message>
        <source>pgoutput delete without the old key</source>
        <translation>pgoutput 删除消息缺少旧键</translation>
    </message>
    <message>
        <source>unknown pgoutput message &apos;%1&apos;</source>
        <translation>未知的 pgoutput 消息 &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>PgReplicationStream</name>
    <message>
        <source>%1: replication connection: %2%3</source>
        <translation>%1：复制连接：%2%3</translation>
    </message>
    <message>
        <source>cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>START_REPLICATION of slot %1 failed: %2</source>
        <translation>复制槽 %1 的 START_REPLICATION 失败：%2</translation>
    </message>
    <message>
        <source>cannot switch to non-blocking mode</source>
        <translation>无法切换到非阻塞模式</translation>
    </message>
    <message>
        <source>%1: replication connection is closed</source>
        <translation>%1：复制连接已关闭</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>the server ended the stream: %1</source>
        <translation>服务器结束了复制流：%1</translation>
    </message>
    <message>
        <source>malformed keepalive</source>
        <translation>格式错误的保活消息</translation>
    </message>
    <message>
        <source>malformed XLogData</source>
        <translation>格式错误的 XLogData</translation>
    </message>
    <message>
        <source>unexpected message &apos;%1&apos;</source>
        <translation>意外的消息 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>cannot send a status update</source>
        <translation>无法发送状态更新</translation>
    </message>
</context>
<context>
    <name>PostgresStore</name>
    <message>
        <source>cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; does not exist</source>
        <translation>%1：表“%2”不存在</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a table</source>
        <translation>%1：“%2”不是表</translation>
    </message>
    <message>
        <source>%1: column &quot;%2&quot; of table &quot;%3&quot; has type &quot;%4&quot;, which Ferry cannot replicate (supported: integer types, real, double precision, text, varchar, char, bytea, boolean, timestamp, timestamptz, date, numeric)</source>
        <translation>%1：表“%3”的列“%2”的类型为“%4”，Ferry 无法复制该类型（支持的类型：各种整数类型、real、double precision、text、varchar、char、bytea、boolean、timestamp、timestamptz、date、numeric）</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; has no primary key; Ferry needs one to split it into key ranges</source>
        <translation>%1：表“%2”没有主键；Ferry 需要主键才能把表划分为键范围</translation>
    </message>
</context>
<context>
    <name>RoleRegistry</name>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: not valid JSON: %2</source>
        <translation>%1：不是有效的 JSON：%2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
</context>
<context>
    <name>SqlStore</name>
    <message>
        <source>%1: Qt SQL driver %2 is not installed (Debian: libqt6sql6-%3)</source>
        <translation>%1：未安装 Qt SQL 驱动 %2（Debian 软件包：libqt6sql6-%3）</translation>
    </message>
    <message>
        <source>query failed</source>
        <translation>查询失败</translation>
    </message>
    <message>
        <source>cannot prepare query</source>
        <translation>无法准备查询</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot;, column &quot;%3&quot; (%4) holds a value that is not %4: %5</source>
        <translation>%1：表“%2”的列“%3”（%4）中有一个不是 %4 的值：%5</translation>
    </message>
    <message>
        <source>reading table &quot;%1&quot; failed</source>
        <translation>读取表“%1”失败</translation>
    </message>
    <message>
        <source>cannot begin a transaction to %1</source>
        <translation>无法开始用于%1的事务</translation>
    </message>
    <message>
        <source>%1: commit of %2 failed: %3</source>
        <translation>%1：%2的提交失败：%3</translation>
    </message>
    <message>
        <source>cannot prepare insert into &quot;%1&quot;</source>
        <translation>无法准备向“%1”插入的语句</translation>
    </message>
    <message>
        <source>insert into &quot;%1&quot; failed</source>
        <translation>向“%1”插入失败</translation>
    </message>
    <message>
        <source>repair of table &quot;%1&quot;</source>
        <translation>修复表“%1”</translation>
    </message>
    <message>
        <source>upsert into table &quot;%1&quot;</source>
        <translation>向表“%1”插入或更新</translation>
    </message>
    <message>
        <source>delete from table &quot;%1&quot;</source>
        <translation>从表“%1”删除</translation>
    </message>
    <message>
        <source>cannot prepare delete from &quot;%1&quot;</source>
        <translation>无法准备从“%1”删除的语句</translation>
    </message>
    <message>
        <source>delete from &quot;%1&quot; failed</source>
        <translation>从“%1”删除失败</translation>
    </message>
    <message>
        <source>%1: row filter &quot;%2&quot; must be one condition, without &apos;;&apos;</source>
        <translation>%1：行过滤条件“%2”必须是单个条件，不能包含“;”</translation>
    </message>
    <message>
        <source>row filter &quot;%1&quot; on table &quot;%2&quot; is not a valid condition</source>
        <translation>表“%2”上的行过滤条件“%1”不是有效的条件</translation>
    </message>
    <message>
        <source>cannot prepare a read of table &quot;%1&quot;</source>
        <translation>无法准备读取表“%1”的语句</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; exists already</source>
        <translation>%1：表“%2”已存在</translation>
    </message>
    <message>
        <source>creation of table &quot;%1&quot;</source>
        <translation>创建表“%1”</translation>
    </message>
    <message>
        <source>creation of Ferry&apos;s bookkeeping tables</source>
        <translation>创建 Ferry 的内部记录表</translation>
    </message>
    <message>
        <source>installing change capture on table &quot;%1&quot;</source>
        <translation>在表“%1”上安装变更捕获</translation>
    </message>
    <message>
        <source>removing change capture from table &quot;%1&quot;</source>
        <translation>从表“%1”上移除变更捕获</translation>
    </message>
    <message>
        <source>changing the replica guard of table &quot;%1&quot;</source>
        <translation>更改表“%1”的副本写保护</translation>
    </message>
    <message>
        <source>cannot prepare a read of the change log of &quot;%1&quot;</source>
        <translation>无法准备读取“%1”变更日志的语句</translation>
    </message>
    <message>
        <source>reading the change log of &quot;%1&quot; failed</source>
        <translation>读取“%1”的变更日志失败</translation>
    </message>
    <message>
        <source>applying changes to table &quot;%1&quot;</source>
        <translation>向表“%1”应用变更</translation>
    </message>
    <message>
        <source>keeping conflicting rows of table &quot;%1&quot;</source>
        <translation>保存表“%1”的冲突行</translation>
    </message>
    <message>
        <source>%1: applying changes needs a link and an origin</source>
        <translation>%1：应用变更需要指定链路和来源</translation>
    </message>
    <message>
        <source>taking the write lease of table &quot;%1&quot;</source>
        <translation>获取表“%1”的写租约</translation>
    </message>
    <message>
        <source>releasing the write lease of table &quot;%1&quot;</source>
        <translation>释放表“%1”的写租约</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; (%3) is not the start of (%4): columns are added only at the end</source>
        <translation>%1：表“%2”（%3）不是（%4）的开头：列只能添加在末尾</translation>
    </message>
    <message>
        <source>adding columns to table &quot;%1&quot;</source>
        <translation>向表“%1”添加列</translation>
    </message>
    <message>
        <source>dropping table &quot;%1&quot;</source>
        <translation>删除表“%1”</translation>
    </message>
    <message>
        <source>%1: applying changes needs an origin</source>
        <translation>%1：应用变更需要来源</translation>
    </message>
    <message>
        <source>applying one transaction to tables %1</source>
        <translation>将一个事务应用到表 %1</translation>
    </message>
    <message>
        <source>reading where the change logs stand failed</source>
        <translation>读取变更日志的当前位置失败</translation>
    </message>
</context>
<context>
    <name>SqliteStore</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1: not a regular file</source>
        <translation>%1：不是普通文件</translation>
    </message>
    <message>
        <source>cannot open</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; does not exist</source>
        <translation>%1：表“%2”不存在</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is a view, not a table</source>
        <translation>%1：“%2”是视图，不是表</translation>
    </message>
    <message>
        <source>%1: column &quot;%2&quot; of table &quot;%3&quot; has type &quot;%4&quot;, which Ferry cannot replicate (supported: integer, real, text, blob, boolean, timestamp, numeric)</source>
        <translation>%1：表“%3”的列“%2”的类型为“%4”，Ferry 无法复制该类型（支持的类型：integer、real、text、blob、boolean、timestamp、numeric）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; has no primary key; Ferry needs one to split it into key ranges</source>
        <translation>%1：表“%2”没有主键；Ferry 需要主键才能把表划分为键范围</translation>
    </message>
    <message>
        <source>cannot prepare query</source>
        <translation>无法准备查询</translation>
    </message>
    <message>
        <source>cannot bind a key value</source>
        <translation>无法绑定键值</translation>
    </message>
    <message>
        <source>SQLite stores a NaN as NULL</source>
        <translation>SQLite 会把 NaN 存为 NULL</translation>
    </message>
    <message>
        <source>SQLite stores -0 as 0</source>
        <translation>SQLite 会把 -0 存为 0</translation>
    </message>
    <message>
        <source>SQLite keeps only about 15 significant digits of a number in a %1 column</source>
        <translation>SQLite 在 %1 列中只保留约 15 位有效数字</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot;, key (%3), column &quot;%4&quot;: the value %5 cannot be stored exactly (%6); nothing was written</source>
        <translation>%1：表“%2”，键（%3），列“%4”：值 %5 无法精确存储（%6）；未写入任何内容</translation>
    </message>
</context>
<context>
    <name>TableSchema</name>
    <message>
        <source>column &quot;%1&quot; of source table &quot;%2&quot; is missing in target table &quot;%3&quot;</source>
        <translation>源表“%2”的列“%1”在目标表“%3”中不存在</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; is %2 (%3) in source table &quot;%4&quot; but %5 (%6) in target table &quot;%7&quot;</source>
        <translation>列“%1”在源表“%4”中为 %2（%3），但在目标表“%7”中为 %5（%6）</translation>
    </message>
    <message>
        <source>target table &quot;%1&quot; has column &quot;%2&quot; that source table &quot;%3&quot; lacks</source>
        <translation>目标表“%1”有源表“%3”中没有的列“%2”</translation>
    </message>
    <message>
        <source>columns of &quot;%1&quot; and &quot;%2&quot; are in a different order (%3 / %4)</source>
        <translation>“%1”和“%2”的列顺序不同（%3 / %4）</translation>
    </message>
    <message>
        <source>primary key of source table &quot;%1&quot; is (%2) but of target table &quot;%3&quot; is (%4)</source>
        <translation>源表“%1”的主键为 (%2)，而目标表“%3”的主键为 (%4)</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; of table &quot;%2&quot; was dropped or renamed</source>
        <translation>表“%2”的列“%1”已被删除或重命名</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; of table &quot;%2&quot; changed type from %3 (%4) to %5 (%6)</source>
        <translation>表“%2”的列“%1”的类型已从 %3（%4）变为 %5（%6）</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; was added to table &quot;%2&quot;</source>
        <translation>表“%2”新增了列“%1”</translation>
    </message>
    <message>
        <source>the columns of table &quot;%1&quot; are in another order (%2, was %3)</source>
        <translation>表“%1”的列顺序已改变（现为 %2，原为 %3）</translation>
    </message>
    <message>
        <source>the primary key of table &quot;%1&quot; changed</source>
        <translation>表“%1”的主键已改变</translation>
    </message>
</context>
<context>
    <name>TlsConfiguration</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1: is a directory, not a PEM file</source>
        <translation>%1：是目录，不是 PEM 文件</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: larger than 1 MiB, not a PEM file</source>
        <translation>%1：大于 1 MiB，不是 PEM 文件</translation>
    </message>
    <message>
        <source>%1: not a PEM certificate file</source>
        <translation>%1：不是 PEM 证书文件</translation>
    </message>
    <message>
        <source>%1: not a CA certificate</source>
        <translation>%1：不是 CA 证书</translation>
    </message>
    <message>
        <source>%1: not an unencrypted PEM private key</source>
        <translation>%1：不是未加密的 PEM 私钥</translation>
    </message>
    <message>
        <source>%1: unsupported kind of private key (use EC or RSA)</source>
        <translation>%1：不支持的私钥类型（请使用 EC 或 RSA）</translation>
    </message>
    <message>
        <source>%1 does not match the certificate %2 (the key belongs to another certificate)</source>
        <translation>%1 与证书 %2 不匹配（该密钥属于另一张证书）</translation>
    </message>
    <message>
        <source>no certificate</source>
        <translation>没有证书</translation>
    </message>
    <message>
        <source>the certificate &quot;%1&quot; is a CA certificate, not one of a node or a user</source>
        <translation>证书“%1”是 CA 证书，而不是节点或用户的证书</translation>
    </message>
    <message>
        <source>the certificate &quot;%1&quot; was not issued by the deployment CA itself (issuer: %2)</source>
        <translation>证书“%1”不是由部署 CA 本身签发的（签发者：%2）</translation>
    </message>
</context>
<context>
    <name>TransactionFeed</name>
    <message>
        <source>database link %1: reading the tables&apos; logs failed: %2; they stream alone for a second</source>
        <translation>数据库链路 %1：读取各表的日志失败：%2；这些表单独传输一秒</translation>
    </message>
    <message>
        <source>database link %1: applying failed: %2; its tables stream alone for a second</source>
        <translation>数据库链路 %1：应用失败：%2；其各表单独传输一秒</translation>
    </message>
</context>
<context>
    <name>WireCodec</name>
    <message>
        <source>numeric value &quot;%1&quot; is not normalized decimal text</source>
        <translation>numeric 值“%1”不是规范化的十进制文本</translation>
    </message>
    <message>
        <source>a value is not of column type %1</source>
        <translation>某个值不属于列类型 %1</translation>
    </message>
    <message>
        <source>a row is not an array</source>
        <translation>某行不是数组</translation>
    </message>
    <message>
        <source>a row has %1 values, table &quot;%2&quot; has %3 columns</source>
        <translation>某行有 %1 个值，而表“%2”有 %3 列</translation>
    </message>
    <message>
        <source>a row has NULL in key column &quot;%1&quot;</source>
        <translation>某行的键列“%1”为 NULL</translation>
    </message>
    <message>
        <source>a key is not an array of %1 values</source>
        <translation>某个键不是包含 %1 个值的数组</translation>
    </message>
    <message>
        <source>a key holds NULL</source>
        <translation>某个键包含 NULL</translation>
    </message>
    <message>
        <source>a key range is not an array [lo, hi]</source>
        <translation>某个键范围不是数组 [lo, hi]</translation>
    </message>
    <message>
        <source>key range %1 ends before it starts</source>
        <translation>键范围 %1 的结束位置在起始位置之前</translation>
    </message>
    <message>
        <source>key ranges are not sorted or overlap at %1</source>
        <translation>键范围在 %1 处未排序或有重叠</translation>
    </message>
    <message>
        <source>a part is not a map</source>
        <translation>某个部分不是映射</translation>
    </message>
    <message>
        <source>a row lies outside its range %1</source>
        <translation>某行不在其所属范围 %1 内</translation>
    </message>
    <message>
        <source>rows of range %1 are not in key order</source>
        <translation>范围 %1 中的行未按键排序</translation>
    </message>
    <message>
        <source>the schema is not a map</source>
        <translation>表结构不是映射</translation>
    </message>
    <message>
        <source>a column is not a map</source>
        <translation>某列不是映射</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; has unknown type &quot;%2&quot;</source>
        <translation>列“%1”的类型“%2”未知</translation>
    </message>
    <message>
        <source>the primary key names a column that does not exist</source>
        <translation>主键引用了不存在的列</translation>
    </message>
    <message>
        <source>table &quot;%1&quot; has no columns or no primary key</source>
        <translation>表“%1”没有列或没有主键</translation>
    </message>
    <message>
        <source>a change is not [seq, deleted, key, row, origin, at]</source>
        <translation>某个变更不是 [seq, deleted, key, row, origin, at] 格式</translation>
    </message>
    <message>
        <source>change sequence numbers are not increasing at %1</source>
        <translation>变更序号在 %1 处不是递增的</translation>
    </message>
    <message>
        <source>a change has no key</source>
        <translation>某个变更没有键</translation>
    </message>
    <message>
        <source>a change&apos;s row does not have the change&apos;s key</source>
        <translation>某个变更的行与该变更的键不一致</translation>
    </message>
    <message>
        <source>a digest is not [rows, bytes]</source>
        <translation>某个摘要不是 [rows, bytes] 格式</translation>
    </message>
    <message>
        <source>block state counts are not %1 numbers</source>
        <translation>块状态计数不是 %1 个数字</translation>
    </message>
    <message>
        <source>a block state count is not a number in 0..%1</source>
        <translation>某个块状态计数不是 0..%1 范围内的数字</translation>
    </message>
    <message>
        <source>block state counts add up to %1, not to the %2 planned blocks</source>
        <translation>块状态计数之和为 %1，而不是已规划的 %2 个块</translation>
    </message>
    <message>
        <source>a block entry is malformed</source>
        <translation>某个块条目格式错误</translation>
    </message>
    <message>
        <source>is not a number</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <source>holds something other than text</source>
        <translation>包含非文本内容</translation>
    </message>
    <message>
        <source>a key or row of a difference is not a list of values</source>
        <translation>差异中的键或行不是值列表</translation>
    </message>
    <message>
        <source>a key or row of a difference holds something other than a plain value</source>
        <translation>差异中的键或行包含非普通值的内容</translation>
    </message>
    <message>
        <source>a difference is neither missing, extra nor different</source>
        <translation>差异既不是缺少、多出，也不是不同</translation>
    </message>
    <message>
        <source>a difference entry is malformed</source>
        <translation>差异条目格式错误</translation>
    </message>
</context>
<context>
    <name>ferry</name>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: not a JSON object (%2)</source>
        <translation>%1：不是 JSON 对象（%2）</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not HOST:PORT</source>
        <translation>%1：“%2”不是 HOST:PORT 格式</translation>
    </message>
    <message>
        <source>%1: &quot;nodes&quot; lists no data center (HOST:PORT)</source>
        <translation>%1：“nodes”中没有列出任何数据中心（HOST:PORT）</translation>
    </message>
    <message>
        <source>The Ferry console. Without options it opens the built-in three-data-center demo.</source>
        <translation>Ferry 控制台。不带选项运行时，打开内置的三数据中心演示。</translation>
    </message>
    <message>
        <source>Open the data centers listed in FILE (JSON: a client profile and &quot;nodes&quot;).</source>
        <translation>打开 FILE 中列出的数据中心（JSON：客户端配置和“nodes”）。</translation>
    </message>
    <message>
        <source>Where the demo keeps its data centers (default: the user&apos;s data directory).</source>
        <translation>演示用数据中心的存放位置（默认：用户数据目录）。</translation>
    </message>
    <message>
        <source>The demo workload&apos;s writes per second (default 20).</source>
        <translation>演示负载每秒的写入次数（默认 20）。</translation>
    </message>
    <message>
        <source>Save a screenshot of the window to FILE after --screenshot-after ms, then quit.</source>
        <translation>在 --screenshot-after 毫秒后将窗口截图保存到 FILE，然后退出。</translation>
    </message>
    <message>
        <source>Milliseconds before the screenshot (default 8000).</source>
        <translation>截图前等待的毫秒数（默认 8000）。</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>Starting the demo data centers in %1...</source>
        <translation>正在 %1 中启动演示数据中心...</translation>
    </message>
    <message>
        <source>The demo cannot start</source>
        <translation>演示无法启动</translation>
    </message>
    <message>
        <source>What the screenshot shows: main, blocks, blockrows, failover, charts, small (1024x700), conflicts, conflictapply, dblink.</source>
        <translation>截图显示的内容：main、blocks、blockrows、failover、charts、small（1024x700）、conflicts、conflictapply、dblink。</translation>
    </message>
</context>
<context>
    <name>ferry-node</name>
    <message>
        <source>Serves one data center&apos;s databases to Ferry nodes and consoles over mutual TLS.</source>
        <translation>通过双向 TLS 向 Ferry 节点和控制台提供一个数据中心的数据库。</translation>
    </message>
    <message>
        <source>The node&apos;s JSON config file.</source>
        <translation>节点的 JSON 配置文件。</translation>
    </message>
    <message>
        <source>ferry-node: error: --config FILE is required
</source>
        <translation>ferry-node：错误：必须指定 --config FILE
</translation>
    </message>
    <message>
        <source>%1: cannot create the data directory</source>
        <translation>%1：无法创建数据目录</translation>
    </message>
    <message>
        <source>node %1 (%2) listening on %3:%4, %5 database(s)</source>
        <translation>节点 %1（%2）正在监听 %3:%4，共 %5 个数据库</translation>
    </message>
    <message>
        <source>%1 received: stopping</source>
        <translation>收到 %1：正在停止</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>ferry-node: error: %1
</source>
        <translation>ferry-node：错误：%1
</translation>
    </message>
</context>
<context>
    <name>ferry::AddDataCenterDialog</name>
    <message>
        <source>Add data center</source>
        <translation>添加数据中心</translation>
    </message>
    <message>
        <source>for example 10.0.0.5:7450</source>
        <translation>例如 10.0.0.5:7450</translation>
    </message>
    <message>
        <source>The console connects with its own certificate; the node&apos;s must be signed by the same deployment CA.</source>
        <translation>控制台使用自己的证书连接；节点的证书必须由同一个部署 CA 签发。</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>ferry-node &amp;address (HOST:PORT):</source>
        <translation>ferry-node 地址(&amp;A)（主机:端口）：</translation>
    </message>
    <message>
        <source>Enter the address of the data center&apos;s ferry-node, as HOST:PORT.</source>
        <translation>请输入该数据中心 ferry-node 的地址，格式为 主机:端口（HOST:PORT）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not HOST:PORT (for example 10.0.0.5:7450).</source>
        <translation>“%1”不是 主机:端口（HOST:PORT）格式（例如 10.0.0.5:7450）。</translation>
    </message>
    <message>
        <source>%1 is already in the topology.</source>
        <translation>%1 已在拓扑中。</translation>
    </message>
    <message>
        <source>Connecting to %1...</source>
        <translation>正在连接 %1...</translation>
    </message>
    <message>
        <source>%1 cannot be added: %2
Check the address, that ferry-node runs there, and that its certificate was issued by this deployment&apos;s CA.</source>
        <translation>无法添加 %1：%2
请检查地址是否正确、ferry-node 是否在该地址运行，以及它的证书是否由本部署的 CA 签发。</translation>
    </message>
    <message>
        <source>%1 is data center %2, which is already in the topology at %3.</source>
        <translation>%1 是数据中心 %2，它已以地址 %3 出现在拓扑中。</translation>
    </message>
</context>
<context>
    <name>ferry::BlockMapWidget</name>
    <message>
        <source>Block map</source>
        <translation>块图</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>hashing</source>
        <translation>正在计算摘要</translation>
    </message>
    <message>
        <source>equal</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>repairing</source>
        <translation>正在修复</translation>
    </message>
    <message>
        <source>repaired</source>
        <translation>已修复</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Block %1: %2
Key range %3
Rows: %4 source, %5 target
Source digest: %6
Target digest: %7</source>
        <translation>块 %1：%2
键范围 %3
行数：源端 %4，目标端 %5
源端摘要：%6
目标端摘要：%7</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>Click to list the rows that differ.</source>
        <translation>单击列出不同的行。</translation>
    </message>
</context>
<context>
    <name>ferry::BlockRowsWidget</name>
    <message>
        <source>Repair the link...</source>
        <translation>修复链路...</translation>
    </message>
    <message>
        <source>Run a verification that makes the target&apos;s rows equal to the source&apos;s</source>
        <translation>运行一次使目标的行与源一致的校验</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>On the source</source>
        <translation>源端</translation>
    </message>
    <message>
        <source>On the target</source>
        <translation>目标端</translation>
    </message>
    <message>
        <source>Differing rows of the block</source>
        <translation>该块中不同的行</translation>
    </message>
    <message>
        <source>Click a block to list the rows that differ.</source>
        <translation>单击一个块以列出不同的行。</translation>
    </message>
    <message>
        <source>Block %1 %2: reading both sides...</source>
        <translation>块 %1 %2：正在读取两端...</translation>
    </message>
    <message>
        <source>Block %1: the rows could not be read: %2</source>
        <translation>块 %1：无法读取行：%2</translation>
    </message>
    <message>
        <source>missing on the target</source>
        <translation>目标缺少</translation>
    </message>
    <message>
        <source>extra on the target</source>
        <translation>目标多出</translation>
    </message>
    <message>
        <source>other values</source>
        <translation>值不同</translation>
    </message>
    <message>
        <source>(no row)</source>
        <translation>（无此行）</translation>
    </message>
    <message>
        <source>Block %1 %2: no row differs now.</source>
        <translation>块 %1 %2：当前没有不同的行。</translation>
    </message>
    <message>
        <source>Block %1 %2: %3 missing on the target, %4 extra on the target, %5 with other values.</source>
        <translation>块 %1 %2：目标缺少 %3 行，目标多出 %4 行，%5 行值不同。</translation>
    </message>
    <message>
        <source>The first %1 are listed.</source>
        <translation>列出了前 %1 行。</translation>
    </message>
</context>
<context>
    <name>ferry::ConflictApplyDialog</name>
    <message>
        <source>%1 UTC</source>
        <translation>%1（协调世界时 UTC）</translation>
    </message>
    <message>
        <source>Apply lost version</source>
        <translation>应用丢弃的版本</translation>
    </message>
    <message>
        <source>Apply kept version</source>
        <translation>应用保留的版本</translation>
    </message>
    <message>
        <source>Conflict %1: the %2 version of this row is a deletion. Delete the row with key %3 from table %4 in %5 on %6?
It is written as an application&apos;s write: the link carries it to its peer.</source>
        <translation>冲突 %1：此行的%2版本是一次删除。要从 %6 上 %5 的表 %4 中删除键为 %3 的行吗？
它将作为应用程序的写入执行：链路会把它传到对端。</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢弃的</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留的</translation>
    </message>
    <message>
        <source>Conflict %1: write the %2 version of the row with key %3 to table %4 in %5 on %6?
It is written as an application&apos;s write: the link carries it to its peer.</source>
        <translation>冲突 %1：要把键为 %3 的行的%2版本写入 %6 上 %5 的表 %4 吗？
它将作为应用程序的写入执行：链路会把它传到对端。</translation>
    </message>
    <message>
        <source>&amp;Delete the row</source>
        <translation>删除该行(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Write this version</source>
        <translation>写入此版本(&amp;W)</translation>
    </message>
</context>
<context>
    <name>ferry::ConflictsWidget</name>
    <message>
        <source>&amp;Data center:</source>
        <translation>数据中心(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Lost version from</source>
        <translation>丢失版本来自</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留的版本</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>丢失的版本</translation>
    </message>
    <message>
        <source>Choose a data center and a database to see the conflicts recorded there.</source>
        <translation>请选择数据中心和数据库，以查看其中记录的冲突。</translation>
    </message>
    <message>
        <source>Press Refresh to read the conflicts recorded in %1 on %2.</source>
        <translation>按“刷新”读取 %2 上 %1 中记录的冲突。</translation>
    </message>
    <message>
        <source>%1 is not connected: %2</source>
        <translation>%1 未连接：%2</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>No console session: the conflicts cannot be read.</source>
        <translation>没有控制台会话：无法读取冲突。</translation>
    </message>
    <message>
        <source>Reading the conflicts of %1 on %2...</source>
        <translation>正在读取 %2 上 %1 的冲突...</translation>
    </message>
    <message>
        <source>Could not read the conflicts of %1 on %2: %3</source>
        <translation>无法读取 %2 上 %1 的冲突：%3</translation>
    </message>
    <message>
        <source>No conflicts recorded in %1 on %2.</source>
        <translation>%2 上的 %1 中没有记录冲突。</translation>
    </message>
    <message>
        <source>Kept (key %1)</source>
        <translation>保留的版本（键 %1）</translation>
    </message>
    <message>
        <source>Lost (from %1)</source>
        <translation>丢失的版本（来自 %1）</translation>
    </message>
    <message>
        <source>no row: deleted</source>
        <translation>无行：已删除</translation>
    </message>
    <message>
        <source>Databa&amp;se:</source>
        <translation>数据库(&amp;S)：</translation>
    </message>
    <message>
        <source>Filter: link, table, key, reason</source>
        <translation>筛选：链路、表、键、原因</translation>
    </message>
    <message>
        <source>E&amp;xport CSV...</source>
        <translation>导出 CSV(&amp;X)...</translation>
    </message>
    <message>
        <source>Kept version</source>
        <translation>保留的版本</translation>
    </message>
    <message>
        <source>Lost version</source>
        <translation>丢弃的版本</translation>
    </message>
    <message>
        <source>Writing %1...</source>
        <translation>正在写入 %1...</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported %1 conflicts to %2.</source>
        <translation>已将 %1 条冲突导出到 %2。</translation>
    </message>
    <message>
        <source>The conflicts were not exported: %1</source>
        <translation>冲突未导出：%1</translation>
    </message>
    <message>
        <source>Export conflicts as CSV</source>
        <translation>将冲突导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Apply &amp;kept version...</source>
        <translation>应用保留的版本(&amp;K)...</translation>
    </message>
    <message>
        <source>Apply &amp;lost version...</source>
        <translation>应用丢弃的版本(&amp;L)...</translation>
    </message>
    <message>
        <source>Apply ke&amp;pt version...</source>
        <translation>应用保留的版本(&amp;P)...</translation>
    </message>
    <message>
        <source>Apply los&amp;t version...</source>
        <translation>应用丢弃的版本(&amp;T)...</translation>
    </message>
    <message>
        <source>Write the kept version of the selected row to its table again; the link carries it to its peer</source>
        <translation>把所选行的保留版本再次写入其表；链路会把它传到对端</translation>
    </message>
    <message>
        <source>Write the lost version of the selected row to its table; the link carries it to its peer</source>
        <translation>把所选行的丢弃版本写入其表；链路会把它传到对端</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢弃的</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留的</translation>
    </message>
    <message>
        <source>The %1 version of conflict %2 was not written: %3</source>
        <translation>冲突 %2 的%1版本未写入：%3</translation>
    </message>
    <message>
        <source>%1 is no longer in the console</source>
        <translation>%1 已不在控制台中</translation>
    </message>
    <message>
        <source>%1 is not connected</source>
        <translation>%1 未连接</translation>
    </message>
    <message>
        <source>conflict %1 is no longer the row the confirmation showed</source>
        <translation>冲突 %1 已不再是确认对话框中显示的那一行</translation>
    </message>
    <message>
        <source>no console session</source>
        <translation>没有控制台会话</translation>
    </message>
    <message>
        <source>Writing the %1 version of %2, key %3, on %4...</source>
        <translation>正在 %4 上写入 %2 中键 %3 的%1版本...</translation>
    </message>
    <message>
        <source>Deleted the row with key %1 from %2 on %3 (the %4 version of conflict %5); the link carries it to its peer.</source>
        <translation>已从 %3 上的 %2 中删除键为 %1 的行（冲突 %5 的%4版本）；链路会把它传到对端。</translation>
    </message>
    <message>
        <source>Wrote the %1 version of %2, key %3, on %4 (conflict %5); the link carries it to its peer.</source>
        <translation>已在 %4 上写入 %2 中键 %3 的%1版本（冲突 %5）；链路会把它传到对端。</translation>
    </message>
</context>
<context>
    <name>ferry::DataCenterItem</name>
    <message>
        <source>primary of %1 / replica of %2</source>
        <translation>作为主节点：%1 / 作为副本：%2</translation>
    </message>
    <message>
        <source>not registered in this console</source>
        <translation>未在本控制台中注册</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <source>heartbeat: no peers</source>
        <translation>心跳：无对端</translation>
    </message>
    <message>
        <source>heartbeat %1 ms</source>
        <translation>心跳 %1 毫秒</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Region: %1</source>
        <translation>区域：%1</translation>
    </message>
    <message>
        <source>A link points here, but this console has no connection to it.</source>
        <translation>有链路指向此处，但本控制台没有与它的连接。</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>Databases: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Peer %1 (%2 of link %3): %4</source>
        <translation>对端 %1（链路 %3，角色 %2）：%4</translation>
    </message>
    <message>
        <source>&lt;i&gt;Drag to another data center to create a link; drag the header (or Shift+drag) to move.&lt;/i&gt;</source>
        <translation>&lt;i&gt;拖动到另一个数据中心以创建链路；拖动标题栏（或按住 Shift 拖动）以移动。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>region unknown</source>
        <translation>区域未知</translation>
    </message>
    <message>
        <source>heartbeat: not measured</source>
        <translation>心跳：尚未测量</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>主节点</translation>
    </message>
    <message>
        <source>replica</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>可疑</translation>
    </message>
    <message>
        <source>down</source>
        <translation>宕机</translation>
    </message>
    <message>
        <source>no replicated table</source>
        <translation>没有复制的表</translation>
    </message>
    <message>
        <source>primary of %1</source>
        <translation>%1 的主库</translation>
    </message>
    <message>
        <source>replica of %1</source>
        <translation>%1 的副本</translation>
    </message>
    <message>
        <source>two-way %1</source>
        <translation>双向 %1</translation>
    </message>
</context>
<context>
    <name>ferry::EventLogDock</name>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Filter: text in any column</source>
        <translation>过滤：任意列中的文本</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>所有级别</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>&amp;Export CSV...</source>
        <translation>导出 CSV(&amp;E)...</translation>
    </message>
    <message>
        <source>Writing %1...</source>
        <translation>正在写入 %1...</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported %1 events to %2.</source>
        <translation>已将 %1 个事件导出到 %2。</translation>
    </message>
    <message>
        <source>The events were not exported: %1</source>
        <translation>事件未导出：%1</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Export events as CSV</source>
        <translation>将事件导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ferry::EventLogModel</name>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Data center</source>
        <translation>数据中心</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>ferry::FailoverDialog</name>
    <message>
        <source>Fail back link %1</source>
        <translation>回切链路 %1</translation>
    </message>
    <message>
        <source>Fail over link %1</source>
        <translation>故障转移链路 %1</translation>
    </message>
    <message>
        <source>Fail back: %1 becomes the primary of %2 again, and %3 its replica.</source>
        <translation>回切：%1 重新成为 %2 的主节点，%3 成为其副本。</translation>
    </message>
    <message>
        <source>Fail over: %1 becomes the primary of %2, and %3 its replica.</source>
        <translation>故障转移：%1 成为 %2 的主节点，%3 成为其副本。</translation>
    </message>
    <message>
        <source>Now: %1 (primary, %2) → %3 (replica, %4). Afterwards: %3 (primary) → %1 (replica).</source>
        <translation>当前：%1（主节点，%2）→ %3（副本，%4）。之后：%3（主节点）→ %1（副本）。</translation>
    </message>
    <message>
        <source>Link %1 is bidirectional: both tables are writable, there is no primary to fail over.</source>
        <translation>链路 %1 是双向链路：两端的表都可写，没有可故障转移的主节点。</translation>
    </message>
    <message>
        <source>Link %1 is not continuous: its target is not kept up to date, there is nothing to fail over to.</source>
        <translation>链路 %1 不是 continuous 模式：其目标端不会保持最新，没有可故障转移的目标。</translation>
    </message>
    <message>
        <source>Link %1 is paused: resume it first, so that its pending changes can drain to %2.</source>
        <translation>链路 %1 已暂停：请先恢复它，以便将待处理的变更排空到 %2。</translation>
    </message>
    <message>
        <source>The console reaches neither %1 nor %2: nothing can be asked. Check the network or the nodes.</source>
        <translation>控制台既无法访问 %1，也无法访问 %2：无法发起任何请求。请检查网络或节点。</translation>
    </message>
    <message>
        <source>Fence %1: writes to %2 are refused from now on.</source>
        <translation>隔离 %1：从现在起拒绝对 %2 的写入。</translation>
    </message>
    <message>
        <source>Drain %1 pending changes to %2 (the primary waits up to 30 s).</source>
        <translation>将 %1 个待处理的变更排空到 %2（主节点最多等待 30 秒）。</translation>
    </message>
    <message>
        <source>Promote %1: primary of %2 in epoch %3 (now %4).</source>
        <translation>提升 %1：在纪元 %3 中成为 %2 的主节点（当前为 %4）。</translation>
    </message>
    <message>
        <source>Reverse link %1 so that %2 becomes its replica (read-only).</source>
        <translation>反转链路 %1，使 %2 成为其副本（只读）。</translation>
    </message>
    <message>
        <source>Graceful failover:</source>
        <translation>平滑故障转移：</translation>
    </message>
    <message>
        <source>Graceful failover, asked of %1:</source>
        <translation>平滑故障转移，向 %1 发起：</translation>
    </message>
    <message>
        <source>No acknowledged write is lost. Applications must write to %1 afterwards.</source>
        <translation>不会丢失任何已确认的写入。之后应用程序必须写入 %1。</translation>
    </message>
    <message>
        <source>The console has no connection to %1; the failover changes nothing if %2 cannot reach it either.</source>
        <translation>控制台没有与 %1 的连接；如果 %2 也无法访问它，故障转移不会做任何更改。</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>not registered in this console</source>
        <translation>未在本控制台中注册</translation>
    </message>
    <message>
        <source>Promote %1 without %2: primary of %3 in epoch %4 (now %5).</source>
        <translation>在没有 %2 的情况下提升 %1：在纪元 %4 中成为 %3 的主节点（当前为 %5）。</translation>
    </message>
    <message>
        <source>Reverse link %1: it runs from %2 to %3.</source>
        <translation>反转链路 %1：使其从 %2 复制到 %3。</translation>
    </message>
    <message>
        <source>When %1 returns it is demoted first: it keeps the changes it never replicated in its conflicts table, then is resynchronized.</source>
        <translation>%1 恢复后会先被降级：它将从未复制出去的变更保存在其冲突表中，然后重新同步。</translation>
    </message>
    <message>
        <source>Forced failover:</source>
        <translation>强制故障转移：</translation>
    </message>
    <message>
        <source>%1 is unreachable (%2). Forced failover, asked of %3:</source>
        <translation>%1 不可达（%2）。强制故障转移，向 %3 发起：</translation>
    </message>
    <message>
        <source>the last figure %1 reported</source>
        <translation>按 %1 最后报告的数字</translation>
    </message>
    <message>
        <source>as %1 counts them</source>
        <translation>按 %1 的统计</translation>
    </message>
    <message>
        <source>Recovery point: %1 changes committed on %2 were not applied on %3 (%4). They are at risk.</source>
        <translation>恢复点：在 %2 上提交的 %1 个变更未在 %3 上应用（%4）。这些变更有丢失风险。</translation>
    </message>
    <message>
        <source>Recovery point: no change is known to be at risk (%1).</source>
        <translation>恢复点：目前没有已知有丢失风险的变更（%1）。</translation>
    </message>
    <message>
        <source>The oldest of them was committed %1 ago (%2).</source>
        <translation>其中最早的变更提交于 %1 前（%2）。</translation>
    </message>
    <message>
        <source>%1 last heard from %2 %3 ago (%4): whatever %2 committed since is at risk too.</source>
        <translation>%1 最后一次收到 %2 的消息是在 %3 前（%4）：%2 此后提交的任何内容也有丢失风险。</translation>
    </message>
    <message>
        <source>%1 has no record of hearing from %2: the age of the changes at risk is unknown.</source>
        <translation>%1 没有收到过 %2 消息的记录：有丢失风险的变更的时间未知。</translation>
    </message>
    <message>
        <source>Promote %1 anyway</source>
        <translation>仍然提升 %1</translation>
    </message>
    <message>
        <source>Automatic failover</source>
        <translation>自动故障转移</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>超时：</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Witness:</source>
        <translation>见证节点：</translation>
    </message>
    <message>
        <source>An automatic failover of this link happened: it stays disarmed until an operator acknowledges it.</source>
        <translation>此链路已发生过一次自动故障转移：在操作员确认之前，自动故障转移保持停用状态。</translation>
    </message>
    <message>
        <source>&amp;Acknowledge automatic failover</source>
        <translation>确认自动故障转移(&amp;A)</translation>
    </message>
    <message>
        <source>Promote %1</source>
        <translation>提升 %1</translation>
    </message>
    <message>
        <source>Fail back</source>
        <translation>回切</translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>Tick &quot;Promote %1 anyway&quot; to accept the changes at risk.</source>
        <translation>勾选“仍然提升 %1”以接受有丢失风险的变更。</translation>
    </message>
    <message>
        <source>The console has no connection to %1.</source>
        <translation>控制台没有与 %1 的连接。</translation>
    </message>
    <message>
        <source>Asking %1...</source>
        <translation>正在请求 %1...</translation>
    </message>
    <message>
        <source>Acknowledged: automatic failover of %1 is armed again.</source>
        <translation>已确认：%1 的自动故障转移已重新启用。</translation>
    </message>
    <message>
        <source>%1 did not acknowledge: %2</source>
        <translation>%1 未确认：%2</translation>
    </message>
    <message>
        <source>Recovery point: no change is at risk. The %1 pending changes are applied on %2 before it is promoted.</source>
        <translation>恢复点：没有变更面临丢失风险。%1 个待处理的变更会在 %2 被提升之前应用到它上面。</translation>
    </message>
    <message>
        <source>Waiting for %1 to list the links this failover touches.</source>
        <translation>正在等待 %1 列出此次故障转移涉及的链路。</translation>
    </message>
    <message>
        <source>Asking %1 which links this failover touches...</source>
        <translation>正在询问 %1 此次故障转移涉及哪些链路……</translation>
    </message>
    <message>
        <source>The links this failover touches are not known: %1</source>
        <translation>此次故障转移涉及的链路未知：%1</translation>
    </message>
    <message>
        <source>reverses</source>
        <translation>反转方向</translation>
    </message>
    <message>
        <source>continues</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>waits</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>blocks the failover</source>
        <translation>阻止故障转移</translation>
    </message>
    <message>
        <source>%1 (%2 %3.%4 → %5 %6.%7, %8): %9. %10</source>
        <translation>链路 %1（%2 %3.%4 → %5 %6.%7，%8）：%9。%10</translation>
    </message>
    <message>
        <source>Not known: %1</source>
        <translation>未知：%1</translation>
    </message>
    <message>
        <source>%1 refuses this failover.</source>
        <translation>%1 拒绝此次故障转移。</translation>
    </message>
    <message>
        <source>Links this failover touches (%1):</source>
        <translation>此次故障转移涉及的链路（%1 条）：</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>已拒绝：%1</translation>
    </message>
</context>
<context>
    <name>ferry::FailoverManager</name>
    <message>
        <source>automatic failover acknowledged</source>
        <translation>自动故障转移已确认</translation>
    </message>
    <message>
        <source>armed again</source>
        <translation>已重新启用</translation>
    </message>
    <message>
        <source>failover refused</source>
        <translation>故障转移被拒绝</translation>
    </message>
    <message>
        <source>graceful failover started</source>
        <translation>平滑故障转移已开始</translation>
    </message>
    <message>
        <source>fenced</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>drained</source>
        <translation>已排空</translation>
    </message>
    <message>
        <source>the fence was lifted; this node is still the primary</source>
        <translation>隔离已解除；本节点仍是主节点</translation>
    </message>
    <message>
        <source>graceful failover failed</source>
        <translation>平滑故障转移失败</translation>
    </message>
    <message>
        <source>graceful failover done</source>
        <translation>平滑故障转移已完成</translation>
    </message>
    <message>
        <source>promoted</source>
        <translation>已提升</translation>
    </message>
    <message>
        <source>automatic failover started</source>
        <translation>自动故障转移已开始</translation>
    </message>
    <message>
        <source>forced failover started</source>
        <translation>强制故障转移已开始</translation>
    </message>
    <message>
        <source>automatic failover done</source>
        <translation>自动故障转移已完成</translation>
    </message>
    <message>
        <source>forced failover done</source>
        <translation>强制故障转移已完成</translation>
    </message>
    <message>
        <source>automatic failover failed</source>
        <translation>自动故障转移失败</translation>
    </message>
    <message>
        <source>forced failover failed</source>
        <translation>强制故障转移失败</translation>
    </message>
    <message>
        <source>nothing was changed</source>
        <translation>未做任何更改</translation>
    </message>
    <message>
        <source>newer epoch seen</source>
        <translation>发现更新的纪元</translation>
    </message>
    <message>
        <source>demotion failed</source>
        <translation>降级失败</translation>
    </message>
    <message>
        <source>the new primary&apos;s rows could not be read</source>
        <translation>无法读取新主节点的行</translation>
    </message>
    <message>
        <source>demoted</source>
        <translation>已降级</translation>
    </message>
    <message>
        <source>no automatic failover</source>
        <translation>不进行自动故障转移</translation>
    </message>
    <message>
        <source>primary again</source>
        <translation>重新成为主节点</translation>
    </message>
</context>
<context>
    <name>ferry::LeaseKeeper</name>
    <message>
        <source>link %1: the write lease could not be renewed: %2</source>
        <translation>链路 %1：无法续期写租约：%2</translation>
    </message>
</context>
<context>
    <name>ferry::LinkChartsWidget</name>
    <message>
        <source>&amp;Window:</source>
        <translation>时间窗口(&amp;W)：</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <source>10 minutes</source>
        <translation>10 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>rows/s</source>
        <translation>行/秒</translation>
    </message>
    <message>
        <source>bytes/s</source>
        <translation>字节/秒</translation>
    </message>
    <message>
        <source>lag (ms)</source>
        <translation>延迟（毫秒）</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>changes pending</source>
        <translation>待处理的变更</translation>
    </message>
    <message>
        <source>blocks/s</source>
        <translation>块/秒</translation>
    </message>
    <message>
        <source>blocks verified per second</source>
        <translation>每秒校验的块数</translation>
    </message>
    <message>
        <source>Wheel: zoom, drag: pan, double-click: now</source>
        <translation>滚轮：缩放，拖动：平移，双击：回到当前</translation>
    </message>
</context>
<context>
    <name>ferry::LinkDialog</name>
    <message>
        <source>New link from %1</source>
        <translation>从 %1 新建链路</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源端</translation>
    </message>
    <message>
        <source>Data center:</source>
        <translation>数据中心：</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Table:</source>
        <translation>表(&amp;T)：</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标端</translation>
    </message>
    <message>
        <source>D&amp;ata center:</source>
        <translation>数据中心(&amp;A)：</translation>
    </message>
    <message>
        <source>Data&amp;base:</source>
        <translation>数据库(&amp;B)：</translation>
    </message>
    <message>
        <source>Ta&amp;ble:</source>
        <translation>表(&amp;B)：</translation>
    </message>
    <message>
        <source>Replication</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Continuous (change feed)</source>
        <translation>持续（变更流）</translation>
    </message>
    <message>
        <source>Scheduled verification</source>
        <translation>定期校验</translation>
    </message>
    <message>
        <source>One-shot copy</source>
        <translation>一次性复制</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>模式(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Fixed:</source>
        <translation>固定(&amp;F)：</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> 行</translation>
    </message>
    <message>
        <source>&amp;Adaptive:</source>
        <translation>自适应(&amp;A)：</translation>
    </message>
    <message>
        <source> ms per block</source>
        <translation> 毫秒/块</translation>
    </message>
    <message>
        <source>Blocks:</source>
        <translation>块：</translation>
    </message>
    <message>
        <source>MD5 (fast)</source>
        <translation>MD5（快速）</translation>
    </message>
    <message>
        <source>SHA-256 (stronger)</source>
        <translation>SHA-256（更安全）</translation>
    </message>
    <message>
        <source>&amp;Digest:</source>
        <translation>摘要(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Compress rows on the wire</source>
        <translation>压缩网络传输的行(&amp;C)</translation>
    </message>
    <message>
        <source> MB/s</source>
        <translation> MB/秒</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>Band&amp;width cap:</source>
        <translation>带宽上限(&amp;W)：</translation>
    </message>
    <message>
        <source>SQL condition on the source rows, e.g. region = &apos;eu&apos;; empty: every row</source>
        <translation>作用于源端行的 SQL 条件，例如 region = &apos;eu&apos;；留空：所有行</translation>
    </message>
    <message>
        <source>Row &amp;filter:</source>
        <translation>行过滤条件(&amp;F)：</translation>
    </message>
    <message>
        <source>One-way (target is a read-only replica)</source>
        <translation>单向（目标端为只读副本）</translation>
    </message>
    <message>
        <source>Bidirectional (both tables writable)</source>
        <translation>双向（两端的表都可写）</translation>
    </message>
    <message>
        <source>Di&amp;rection:</source>
        <translation>方向(&amp;R)：</translation>
    </message>
    <message>
        <source>Source wins</source>
        <translation>源端优先</translation>
    </message>
    <message>
        <source>Target wins</source>
        <translation>目标端优先</translation>
    </message>
    <message>
        <source>Newest wins</source>
        <translation>最新者优先</translation>
    </message>
    <message>
        <source>timestamp column</source>
        <translation>时间戳列</translation>
    </message>
    <message>
        <source>C&amp;onflicts:</source>
        <translation>冲突(&amp;O)：</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</source>
        <translation>字母、数字、“.”、“_”、“-”</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Automatic &amp;failover</source>
        <translation>自动故障转移(&amp;F)</translation>
    </message>
    <message>
        <source>When the target cannot reach the source for the timeout and the witness cannot reach it either, the target promotes itself, once, until an operator acknowledges it.</source>
        <translation>当目标端在超时时间内无法访问源端，且见证节点也无法访问源端时，目标端会提升自身为主节点；在操作员确认之前只会进行一次。</translation>
    </message>
    <message>
        <source>&amp;Witness:</source>
        <translation>见证节点(&amp;W)：</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>超时(&amp;T)：</translation>
    </message>
    <message>
        <source>Create link</source>
        <translation>创建链路</translation>
    </message>
    <message>
        <source>%1 reports no database: the console cannot create a link from it yet.</source>
        <translation>%1 未报告任何数据库：控制台暂时无法从它创建链路。</translation>
    </message>
    <message>
        <source>Choose the source table (%1 lists no table in database %2).</source>
        <translation>请选择源表（%1 的数据库 %2 中没有列出任何表）。</translation>
    </message>
    <message>
        <source>Choose the target data center.</source>
        <translation>请选择目标数据中心。</translation>
    </message>
    <message>
        <source>Enter the target database on %1.</source>
        <translation>请输入 %1 上的目标数据库。</translation>
    </message>
    <message>
        <source>Enter the target table on %1.</source>
        <translation>请输入 %1 上的目标表。</translation>
    </message>
    <message>
        <source>The source and the target are the same table (%1.%2 on %3): choose another target table or data center.</source>
        <translation>源端和目标端是同一张表（%3 上的 %1.%2）：请选择其他目标表或数据中心。</translation>
    </message>
    <message>
        <source>Enter a name for the link.</source>
        <translation>请输入链路名称。</translation>
    </message>
    <message>
        <source>The link name &quot;%1&quot; is not valid: use letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, start with a letter or digit, at most 64 characters.</source>
        <translation>链路名称“%1”无效：请使用字母、数字、“.”、“_”和“-”，以字母或数字开头，最多 64 个字符。</translation>
    </message>
    <message>
        <source>%1 already has a link named &quot;%2&quot;: choose another name.</source>
        <translation>%1 上已有名为“%2”的链路：请换一个名称。</translation>
    </message>
    <message>
        <source>The row filter must be one SQL condition, without &apos;;&apos;.</source>
        <translation>行过滤条件必须是单个 SQL 条件，不能包含“;”。</translation>
    </message>
    <message>
        <source>A bidirectional link copies whole tables: remove the row filter.</source>
        <translation>双向链路复制的是整张表：请去掉行过滤条件。</translation>
    </message>
    <message>
        <source>Newest wins compares a timestamp column: enter the column that holds each row&apos;s last change.</source>
        <translation>“最新者优先”需要比较时间戳列：请输入记录每行最后修改时间的列。</translation>
    </message>
    <message>
        <source>A bidirectional link has a writable table on both sides: automatic failover does not apply. Turn it off or make the link one-way.</source>
        <translation>双向链路两端的表都可写：不适用自动故障转移。请关闭自动故障转移，或将链路改为单向。</translation>
    </message>
    <message>
        <source>Automatic failover needs a continuous link: a scheduled or one-shot link keeps no replica up to date.</source>
        <translation>自动故障转移需要持续复制的链路：定期校验或一次性复制的链路不会使副本保持最新。</translation>
    </message>
    <message>
        <source>Automatic failover needs a witness: a third data center that must also find the source unreachable. Register one, or turn automatic failover off.</source>
        <translation>自动故障转移需要一个见证节点：即第三个数据中心，它也必须确认源端不可达。请注册一个见证节点，或关闭自动故障转移。</translation>
    </message>
    <message>
        <source>%1 is not connected: the console cannot list its tables. A missing table will be created.</source>
        <translation>%1 未连接：控制台无法列出它的表。不存在的表将会被创建。</translation>
    </message>
    <message>
        <source>%1 has no database &quot;%2&quot;.</source>
        <translation>%1 上没有数据库“%2”。</translation>
    </message>
    <message>
        <source>%1.%2 does not exist on %3: it will be created with the source table&apos;s columns and key.</source>
        <translation>%3 上不存在 %1.%2：将按源表的列和主键创建该表。</translation>
    </message>
    <message>
        <source>%1.%2 exists on %3: its rows will be made equal to the source&apos;s.</source>
        <translation>%3 上已存在 %1.%2：其中的行将被修改为与源端一致。</translation>
    </message>
</context>
<context>
    <name>ferry::LinkItem</name>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>syncing</source>
        <translation>正在同步</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>流式复制中</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>正在校验</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>no lag figure</source>
        <translation>无延迟数据</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 rows/s</source>
        <translation>%1 行/秒</translation>
    </message>
    <message>
        <source>%1k rows/s</source>
        <translation>%1k 行/秒</translation>
    </message>
    <message>
        <source>%1M rows/s</source>
        <translation>%1M 行/秒</translation>
    </message>
    <message>
        <source>%1.%2 on %3 → %4.%5 on %6</source>
        <translation>%3 上的 %1.%2 → %6 上的 %4.%5</translation>
    </message>
    <message>
        <source>Mode: %1; direction: %2; conflicts: %3</source>
        <translation>模式：%1；方向：%2；冲突处理：%3</translation>
    </message>
    <message>
        <source>Lag: %1 (p50 %2, p99 %3)</source>
        <translation>延迟：%1（p50 %2，p99 %3）</translation>
    </message>
    <message>
        <source>Throughput: %1; pending changes: %2</source>
        <translation>吞吐量：%1；待处理的变更：%2</translation>
    </message>
    <message>
        <source>Blocks: %1 of %2 verified, %3 differed, %4 repaired</source>
        <translation>块：已校验 %1/%2，%3 个不一致，%4 个已修复</translation>
    </message>
    <message>
        <source>Conflicts recorded: %1</source>
        <translation>已记录的冲突：%1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>最近一次错误：%1</translation>
    </message>
    <message>
        <source>demoted</source>
        <translation>已降级</translation>
    </message>
    <message>
        <source>continuous</source>
        <translation>持续复制</translation>
    </message>
    <message>
        <source>every %1 min</source>
        <translation>每 %1 分钟</translation>
    </message>
    <message>
        <source>one-shot</source>
        <translation>一次性</translation>
    </message>
    <message>
        <source>bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>one-way</source>
        <translation>单向</translation>
    </message>
    <message>
        <source>source wins</source>
        <translation>源端优先</translation>
    </message>
    <message>
        <source>target wins</source>
        <translation>目标端优先</translation>
    </message>
    <message>
        <source>newest wins (by %1)</source>
        <translation>最新者优先（按 %1）</translation>
    </message>
    <message>
        <source>catching up</source>
        <translation>正在追赶</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>已停滞</translation>
    </message>
    <message>
        <source>resyncing</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <source>Back from %1 (%2): lag %3, %4, pending changes: %5</source>
        <translation>从 %1 返回（%2）：延迟 %3，%4，待处理的变更：%5</translation>
    </message>
</context>
<context>
    <name>ferry::LinkListModel</name>
    <message>
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>From</source>
        <translation>源</translation>
    </message>
    <message>
        <source>To</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Rows/s</source>
        <translation>行/秒</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Last error at</source>
        <translation>最近错误时间</translation>
    </message>
</context>
<context>
    <name>ferry::LinkListWidget</name>
    <message>
        <source>F&amp;ilter:</source>
        <translation>筛选(&amp;I)：</translation>
    </message>
    <message>
        <source>link, data center, table or state</source>
        <translation>链路、数据中心、表或状态</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>链路</translation>
    </message>
</context>
<context>
    <name>ferry::MainWindow</name>
    <message>
        <source>Ferry console</source>
        <translation>Ferry 控制台</translation>
    </message>
    <message>
        <source>Select a link to see its blocks.</source>
        <translation>选择一条链路以查看其块。</translation>
    </message>
    <message>
        <source>&amp;Blocks</source>
        <translation>块(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>图表(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;onflicts</source>
        <translation>冲突(&amp;O)</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Add data center...</source>
        <translation>添加数据中心(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Open topology...</source>
        <translation>打开拓扑(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Save topology...</source>
        <translation>保存拓扑(&amp;S)...</translation>
    </message>
    <message>
        <source>&amp;Language...</source>
        <translation>语言(&amp;L)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Link</source>
        <translation>链路(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;New link...</source>
        <translation>新建链路(&amp;N)...</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Fail over...</source>
        <translation>故障转移(&amp;F)...</translation>
    </message>
    <message>
        <source>Fail &amp;back...</source>
        <translation>回切(&amp;B)...</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>删除(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>适合窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Ferry</source>
        <translation>关于 Ferry(&amp;A)</translation>
    </message>
    <message>
        <source>About Ferry</source>
        <translation>关于 Ferry</translation>
    </message>
    <message>
        <source>&lt;b&gt;Ferry %1&lt;/b&gt;&lt;br&gt;Replicates database tables between data centers: block verification, change feed, failover.</source>
        <translation>&lt;b&gt;Ferry %1&lt;/b&gt;&lt;br&gt;在数据中心之间复制数据库表：块校验、变更流、故障转移。</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主界面</translation>
    </message>
    <message>
        <source> writes/s</source>
        <translation> 次写入/秒</translation>
    </message>
    <message>
        <source>Writes per second to Shanghai&apos;s orders table</source>
        <translation>每秒写入上海 orders 表的次数</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Connecting...</source>
        <translation>正在连接...</translation>
    </message>
    <message>
        <source>Creating the demo link</source>
        <translation>创建演示链路</translation>
    </message>
    <message>
        <source>Reading Shanghai&apos;s links</source>
        <translation>读取上海的链路</translation>
    </message>
    <message>
        <source>%1 of %2 data centers connected  |  %3 links  |  %4 rows/s  |  worst lag %5 ms</source>
        <translation>已连接 %1/%2 个数据中心  |  %3 条链路  |  %4 行/秒  |  最大延迟 %5 毫秒</translation>
    </message>
    <message>
        <source>Link %1: %2 %3.%4 to %5 %6.%7 — blocks of the current or last verification round</source>
        <translation>链路 %1：%2 %3.%4 到 %5 %6.%7 — 当前或最近一轮校验的块</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <source>New link</source>
        <translation>新建链路</translation>
    </message>
    <message>
        <source>The source data center is not connected.</source>
        <translation>源数据中心未连接。</translation>
    </message>
    <message>
        <source>Creating link %1...</source>
        <translation>正在创建链路 %1...</translation>
    </message>
    <message>
        <source>Link %1 created</source>
        <translation>链路 %1 已创建</translation>
    </message>
    <message>
        <source>Creating the link</source>
        <translation>创建链路</translation>
    </message>
    <message>
        <source>Link %1 paused</source>
        <translation>链路 %1 已暂停</translation>
    </message>
    <message>
        <source>Link %1 resumed</source>
        <translation>链路 %1 已恢复</translation>
    </message>
    <message>
        <source>Pausing or resuming the link</source>
        <translation>暂停或恢复链路</translation>
    </message>
    <message>
        <source>Verifying the link</source>
        <translation>校验链路</translation>
    </message>
    <message>
        <source>Remove link</source>
        <translation>删除链路</translation>
    </message>
    <message>
        <source>Remove link %1 from %2 to %3? The replica&apos;s table stays as it is and becomes writable.</source>
        <translation>删除从 %2 到 %3 的链路 %1？副本中的表将保持原样并变为可写。</translation>
    </message>
    <message>
        <source>Link %1 removed</source>
        <translation>链路 %1 已删除</translation>
    </message>
    <message>
        <source>Removing the link</source>
        <translation>删除链路</translation>
    </message>
    <message>
        <source>Failing over link %1 to %2...</source>
        <translation>正在将链路 %1 故障转移到 %2...</translation>
    </message>
    <message>
        <source>Link %1: %2 is primary (epoch %3) after %4 ms</source>
        <translation>链路 %1：%2 已成为主节点（纪元 %3），耗时 %4 毫秒</translation>
    </message>
    <message>
        <source>; %1 changes at risk</source>
        <translation>；%1 个变更有丢失风险</translation>
    </message>
    <message>
        <source>Failing over</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>Add data center</source>
        <translation>添加数据中心</translation>
    </message>
    <message>
        <source>Open a connection first (ferry --connect FILE), or wait for the demo to start.</source>
        <translation>请先打开连接（ferry --connect FILE），或等待演示启动。</translation>
    </message>
    <message>
        <source>Open topology</source>
        <translation>打开拓扑</translation>
    </message>
    <message>
        <source>Topology (*.json)</source>
        <translation>拓扑 (*.json)</translation>
    </message>
    <message>
        <source>Opening the topology</source>
        <translation>打开拓扑</translation>
    </message>
    <message>
        <source>%1 lists no data centers</source>
        <translation>%1 中没有列出任何数据中心</translation>
    </message>
    <message>
        <source>Save topology</source>
        <translation>保存拓扑</translation>
    </message>
    <message>
        <source>Saving the topology</source>
        <translation>保存拓扑</translation>
    </message>
    <message>
        <source>Topology saved to %1</source>
        <translation>拓扑已保存到 %1</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Language of the console:</source>
        <translation>控制台语言：</translation>
    </message>
    <message>
        <source>The console uses the new language from its next start.</source>
        <translation>控制台将在下次启动时使用新语言。</translation>
    </message>
    <message>
        <source>the console is not connected</source>
        <translation>控制台未连接</translation>
    </message>
    <message>
        <source>Data center %1 added</source>
        <translation>数据中心 %1 已添加</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>&amp;Links</source>
        <translation>链路(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>事件(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Quick guide</source>
        <translation>快速指南(&amp;Q)</translation>
    </message>
    <message>
        <source>Link %1 run by %2 no longer exists (it was removed or failed over while the dialog was open). Nothing was done.</source>
        <translation>由 %2 运行的链路 %1 已不存在（在对话框打开期间被移除或已故障转移）。未执行任何操作。</translation>
    </message>
    <message>
        <source>C&amp;onflicts (%1 new)</source>
        <translation>冲突(&amp;O)（%1 条新）</translation>
    </message>
    <message>
        <source>%1 conflicts were recorded since you last looked at this tab</source>
        <translation>自您上次查看此标签页以来记录了 %1 条冲突</translation>
    </message>
    <message>
        <source>Quick guide</source>
        <translation>快速指南</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Fail back</source>
        <translation>回切</translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>&amp;Verify (read-only)</source>
        <translation>校验（只读）(&amp;V)</translation>
    </message>
    <message>
        <source>Compare every block of the link&apos;s table on both sides and list the keys that differ; changes nothing (F5)</source>
        <translation>比较链路表在两端的每个块并列出不同的键；不做任何更改（F5）</translation>
    </message>
    <message>
        <source>Repa&amp;ir</source>
        <translation>修复(&amp;I)</translation>
    </message>
    <message>
        <source>Verify every block and make the target&apos;s rows equal to the source&apos;s (Shift+F5)</source>
        <translation>校验每个块并使目标的行与源一致（Shift+F5）</translation>
    </message>
    <message>
        <source>The demo&apos;s large table could not be written: %1</source>
        <translation>无法写入演示的大表：%1</translation>
    </message>
    <message>
        <source>The demo&apos;s shipments table is ready: %L1 rows; drag Shanghai to Virginia to replicate it</source>
        <translation>演示的 shipments 表已就绪：%L1 行；将上海拖到弗吉尼亚即可复制它</translation>
    </message>
    <message>
        <source>Writing the demo&apos;s shipments table: %L1 of %L2 rows</source>
        <translation>正在写入演示的 shipments 表：%L1 / %L2 行</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Ferry console&lt;/h3&gt;&lt;p&gt;&lt;b&gt;Replicate a table:&lt;/b&gt; drag from one data center&apos;s card to another&apos;s, or Link &amp;gt; New link (Ctrl+N).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Select a link:&lt;/b&gt; click its arrow, or use the Links list (View &amp;gt; Links, Ctrl+L). The selection drives the Blocks and Charts tabs.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Keyboard:&lt;/b&gt; Tab moves between the topology, the tabs and the lists; in the topology the arrow keys select the next or previous link, + and - zoom, F fits; in a list the arrow keys select. F5 verifies the selected link without changing anything, Shift+F5 repairs it, Ctrl+P pauses, Ctrl+R resumes, Ctrl+F fails over, Delete removes. Confirmation dialogs default to Cancel: Enter never fails over or removes by itself.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Blocks:&lt;/b&gt; after a verification, click a block to list its rows that differ: missing on the target, extra on the target, or with other values, both sides side by side.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Charts:&lt;/b&gt; every link&apos;s history since the console started; hover for values, wheel to zoom the time axis, drag to pan, double-click to follow the present again.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Colours:&lt;/b&gt; green streaming, blue syncing or verifying, amber paused or stalled, red error.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Ferry 控制台&lt;/h3&gt;&lt;p&gt;&lt;b&gt;复制一张表：&lt;/b&gt;从一个数据中心的卡片拖到另一个数据中心的卡片，或使用 链路 &amp;gt; 新建链路（Ctrl+N）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;选择链路：&lt;/b&gt;单击其箭头，或使用链路列表（视图 &amp;gt; 链路，Ctrl+L）。所选链路决定“块”和“图表”标签页显示的内容。&lt;/p&gt;&lt;p&gt;&lt;b&gt;键盘：&lt;/b&gt;Tab 在拓扑图、标签页和列表之间移动；在拓扑图中方向键选择下一条或上一条链路，+ 和 - 缩放，F 适应窗口；在列表中方向键选择。F5 校验所选链路而不做任何更改，Shift+F5 修复它，Ctrl+P 暂停，Ctrl+R 恢复，Ctrl+F 故障转移，Delete 移除。确认对话框默认为“取消”：回车键永远不会自行执行故障转移或移除。&lt;/p&gt;&lt;p&gt;&lt;b&gt;块：&lt;/b&gt;校验之后，单击一个块可列出其中不同的行：目标缺少、目标多出或值不同，两端并排显示。&lt;/p&gt;&lt;p&gt;&lt;b&gt;图表：&lt;/b&gt;每条链路自控制台启动以来的历史；悬停查看数值，滚轮缩放时间轴，拖动平移，双击重新跟随当前时间。&lt;/p&gt;&lt;p&gt;&lt;b&gt;颜色：&lt;/b&gt;绿色为流式复制，蓝色为同步或校验中，琥珀色为暂停或停滞，红色为错误。&lt;/p&gt;</translation>
    </message>
    <message>
        <source> (run Verify to see every block)</source>
        <translation> （运行“校验”可查看所有块）</translation>
    </message>
    <message>
        <source>Repair of %1 started</source>
        <translation>已开始修复 %1</translation>
    </message>
    <message>
        <source>Read-only verification of %1 started: nothing is changed</source>
        <translation>已开始对 %1 进行只读校验：不做任何更改</translation>
    </message>
    <message>
        <source>Repairing the link</source>
        <translation>修复链路</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Wor&amp;kload:</source>
        <translation>负载(&amp;K):</translation>
    </message>
</context>
<context>
    <name>ferry::TableBreakdownWidget</name>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Rows/s</source>
        <translation>行/秒</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>已应用</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>块</translation>
    </message>
    <message>
        <source>Differing</source>
        <translation>不同</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>&amp;Tables of database link %1 (%2 in all); the block map shows the one picked</source>
        <translation>数据库链路 %1 的表(&amp;T)（共 %2 个）；块图显示所选的表</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 个中的 %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（于 %2）</translation>
    </message>
</context>
<context>
    <name>ferry::TopologyView</name>
    <message>
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <source>Link %1</source>
        <translation>链路 %1</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Fail over...</source>
        <translation>故障转移(&amp;F)...</translation>
    </message>
    <message>
        <source>Only a continuous one-way link has a primary and a replica to swap.</source>
        <translation>只有持续复制的单向链路才有可互换的主节点和副本。</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>删除(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;New link from here...</source>
        <translation>从此处新建链路(&amp;N)...</translation>
    </message>
    <message>
        <source>This console has no connection to %1: add its node first.</source>
        <translation>本控制台没有与 %1 的连接：请先添加它的节点。</translation>
    </message>
    <message>
        <source>&amp;Fail over</source>
        <translation>故障转移(&amp;F)</translation>
    </message>
    <message>
        <source>%1: make %2 primary...</source>
        <translation>%1：将 %2 设为主节点...</translation>
    </message>
    <message>
        <source>No continuous one-way link starts or ends here.</source>
        <translation>没有以此处为起点或终点的持续复制单向链路。</translation>
    </message>
    <message>
        <source>No data centers yet. Add a data center&apos;s node (host:port) to see it here, then drag from one data center to another to replicate a table.</source>
        <translation>还没有数据中心。添加一个数据中心的节点（host:port）即可在此处看到它，然后从一个数据中心拖动到另一个数据中心即可复制表。</translation>
    </message>
    <message>
        <source>&amp;Verify (read-only)</source>
        <translation>校验（只读）(&amp;V)</translation>
    </message>
</context>
<context>
    <name>ferryctl</name>
    <message>
        <source>[%1] blocks %2/%3  differ %4  repaired %5  rows sent %6</source>
        <translation>[%1] 块 %2/%3  不一致 %4  已修复 %5  已发送行 %6</translation>
    </message>
    <message>
        <source>[%1] hashing: %2 blocks planned, %3 differ</source>
        <translation>[%1] 正在计算摘要：已规划 %2 个块，%3 个不一致</translation>
    </message>
    <message>
        <source>ferryctl: error: %1</source>
        <translation>ferryctl：错误：%1</translation>
    </message>
    <message>
        <source>Compare a table in two databases block by block, and optionally repair the target.</source>
        <translation>逐块比较两个数据库中的同一张表，并可选择修复目标端。</translation>
    </message>
    <message>
        <source>sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME</source>
        <translation>sqlite:PATH?table=NAME 或 postgresql://USER@HOST:PORT/DB?table=NAME</translation>
    </message>
    <message>
        <source>the same forms; this side is repaired</source>
        <translation>格式同上；修复时修改的是这一端</translation>
    </message>
    <message>
        <source>Make the target identical to the source.</source>
        <translation>使目标端与源端完全一致。</translation>
    </message>
    <message>
        <source>Rows per block (default 1000).</source>
        <translation>每个块的行数（默认 1000）。</translation>
    </message>
    <message>
        <source>Adaptive blocks: size each block to take about MS milliseconds to hash.</source>
        <translation>自适应分块：调整每个块的大小，使计算其摘要约需 MS 毫秒。</translation>
    </message>
    <message>
        <source>Block digest: md5 (default) or sha256.</source>
        <translation>块摘要算法：md5（默认）或 sha256。</translation>
    </message>
    <message>
        <source>Print one JSON object instead of the summary.</source>
        <translation>输出一个 JSON 对象，代替汇总信息。</translation>
    </message>
    <message>
        <source>compare needs exactly two locations, SOURCE and TARGET</source>
        <translation>compare 需要恰好两个位置：SOURCE 和 TARGET</translation>
    </message>
    <message>
        <source>--block-rows must be a whole number from 1 to 10000000, not &quot;%1&quot;</source>
        <translation>--block-rows 必须是 1 到 10000000 之间的整数，而不是“%1”</translation>
    </message>
    <message>
        <source>--block-time must be a whole number of milliseconds from 1 to 60000, not &quot;%1&quot;</source>
        <translation>--block-time 必须是 1 到 60000 之间的整数毫秒数，而不是“%1”</translation>
    </message>
    <message>
        <source>unknown digest &quot;%1&quot; (use md5 or sha256)</source>
        <translation>未知的摘要算法“%1”（请使用 md5 或 sha256）</translation>
    </message>
    <message>
        <source>source and target are the same table (%1)</source>
        <translation>源端和目标端是同一张表（%1）</translation>
    </message>
    <message>
        <source>schemas differ: %1</source>
        <translation>表结构不一致：%1</translation>
    </message>
    <message>
        <source>Compared %1 -&gt; %2 (%3)</source>
        <translation>已比较 %1 -&gt; %2（%3）</translation>
    </message>
    <message>
        <source>  blocks          %1 (%2 differed, %3 repaired, %4 failed)</source>
        <translation>  块              %1（%2 个不一致，%3 个已修复，%4 个失败）</translation>
    </message>
    <message>
        <source>  rows compared   %1 source, %2 target</source>
        <translation>  已比较行数      源端 %1，目标端 %2</translation>
    </message>
    <message>
        <source>  rows sent       %1 (%2 bytes)</source>
        <translation>  已发送行数      %1（%2 字节）</translation>
    </message>
    <message>
        <source>  time            %1 s</source>
        <translation>  耗时            %1 秒</translation>
    </message>
    <message>
        <source>  failed          %1</source>
        <translation>  失败            %1</translation>
    </message>
    <message>
        <source>Result: identical after repair.</source>
        <translation>结果：修复后完全一致。</translation>
    </message>
    <message>
        <source>Result: identical.</source>
        <translation>结果：完全一致。</translation>
    </message>
    <message>
        <source>Result: still different in %1 blocks.</source>
        <translation>结果：仍有 %1 个块不一致。</translation>
    </message>
    <message>
        <source>Result: different in %1 blocks; run with --repair to make the target match.</source>
        <translation>结果：有 %1 个块不一致；加上 --repair 运行可使目标端与源端一致。</translation>
    </message>
    <message>
        <source>ferryctl: unknown command &quot;%1&quot;
</source>
        <translation>ferryctl：未知命令“%1”
</translation>
    </message>
    <message>
        <source>--days must be a whole number from 1 to %1, not &quot;%2&quot;</source>
        <translation>--days 必须是 1 到 %1 之间的整数，而不是“%2”</translation>
    </message>
    <message>
        <source>Create the deployment CA for mutual TLS between Ferry nodes and consoles: DIR/ca.crt and DIR/ca.key (EC P-256). DIR is created if missing; existing files are never overwritten.</source>
        <translation>为 Ferry 节点和控制台之间的双向 TLS 创建部署 CA：DIR/ca.crt 和 DIR/ca.key（EC P-256）。DIR 不存在时会被创建；已有文件绝不会被覆盖。</translation>
    </message>
    <message>
        <source>the deployment&apos;s certificate directory</source>
        <translation>本部署的证书目录</translation>
    </message>
    <message>
        <source>Validity of the CA in days (default 3650).</source>
        <translation>CA 的有效期天数（默认 3650）。</translation>
    </message>
    <message>
        <source>certs init needs exactly one directory, DIR</source>
        <translation>certs init 需要恰好一个目录：DIR</translation>
    </message>
    <message>
        <source>Created the deployment CA &quot;%1&quot;, valid until %2:</source>
        <translation>已创建部署 CA“%1”，有效期至 %2：</translation>
    </message>
    <message>
        <source>  %1  certificate: copy it to every node and console</source>
        <translation>  %1  证书：复制到每个节点和控制台</translation>
    </message>
    <message>
        <source>  %1  private key (mode 0600): keep it secret; it signs every certificate</source>
        <translation>  %1  私钥（权限 0600）：请妥善保密；所有证书都由它签名</translation>
    </message>
    <message>
        <source>Issue a certificate and key for a node or console, signed by the deployment CA in DIR: DIR/NAME.crt and DIR/NAME.key (EC P-256), good for both the server and the client side of mutual TLS. Existing files are never overwritten.</source>
        <translation>为节点或控制台签发证书和密钥，由 DIR 中的部署 CA 签名：DIR/NAME.crt 和 DIR/NAME.key（EC P-256），可同时用于双向 TLS 的服务端和客户端。已有文件绝不会被覆盖。</translation>
    </message>
    <message>
        <source>the directory holding ca.crt and ca.key</source>
        <translation>存放 ca.crt 和 ca.key 的目录</translation>
    </message>
    <message>
        <source>the node or console name: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 63</source>
        <translation>节点或控制台的名称：字母、数字、“.”、“_”、“-”；最多 63 个字符</translation>
    </message>
    <message>
        <source>Validity in days (default 825).</source>
        <translation>有效期天数（默认 825）。</translation>
    </message>
    <message>
        <source>Another DNS name for the certificate (repeatable); NAME and localhost are always included.</source>
        <translation>证书的另一个 DNS 名称（可重复指定）；NAME 和 localhost 总会包含在内。</translation>
    </message>
    <message>
        <source>An IP address for the certificate (repeatable); 127.0.0.1 and ::1 are always included.</source>
        <translation>证书的 IP 地址（可重复指定）；127.0.0.1 和 ::1 总会包含在内。</translation>
    </message>
    <message>
        <source>certs issue needs exactly a directory and a name, DIR and NAME</source>
        <translation>certs issue 需要恰好一个目录和一个名称：DIR 和 NAME</translation>
    </message>
    <message>
        <source>Issued a certificate for &quot;%1&quot;, valid until %2:</source>
        <translation>已为“%1”签发证书，有效期至 %2：</translation>
    </message>
    <message>
        <source>  %1  certificate</source>
        <translation>  %1  证书</translation>
    </message>
    <message>
        <source>  %1  private key (mode 0600): copy it only to %2</source>
        <translation>  %1  私钥（权限 0600）：只复制到 %2</translation>
    </message>
    <message>
        <source>  names: %1</source>
        <translation>  名称：%1</translation>
    </message>
    <message>
        <source>unknown certs command &quot;%1&quot; (use init or issue)</source>
        <translation>未知的 certs 子命令“%1”（请使用 init 或 issue）</translation>
    </message>
    <message>
        <source>certs needs a subcommand, init or issue</source>
        <translation>certs 需要一个子命令：init 或 issue</translation>
    </message>
    <message>
        <source>The deployment CA certificate.</source>
        <translation>部署 CA 证书。</translation>
    </message>
    <message>
        <source>This client&apos;s certificate.</source>
        <translation>本客户端的证书。</translation>
    </message>
    <message>
        <source>This client&apos;s private key.</source>
        <translation>本客户端的私钥。</translation>
    </message>
    <message>
        <source>A client profile (JSON with ca, certificate, key).</source>
        <translation>客户端配置文件（包含 ca、certificate、key 的 JSON）。</translation>
    </message>
    <message>
        <source>--ca, --cert and --key go together</source>
        <translation>--ca、--cert 和 --key 必须同时指定</translation>
    </message>
    <message>
        <source>no client certificate: give --ca, --cert and --key, or --profile FILE, or set FERRY_PROFILE, or write %1</source>
        <translation>没有客户端证书：请指定 --ca、--cert 和 --key，或指定 --profile FILE，或设置 FERRY_PROFILE，或创建 %1</translation>
    </message>
    <message>
        <source>sqlite:PATH?table=NAME, postgresql://USER@HOST:PORT/DB?table=NAME, or ferry://HOST:PORT/DB?table=NAME (a node; then TARGET is a node too)</source>
        <translation>sqlite:PATH?table=NAME、postgresql://USER@HOST:PORT/DB?table=NAME 或 ferry://HOST:PORT/DB?table=NAME（节点；此时 TARGET 也必须是节点）</translation>
    </message>
    <message>
        <source>a remote compare needs two ferry:// URLs; a node compares only with another node</source>
        <translation>远程比较需要两个 ferry:// URL；节点只能与另一个节点比较</translation>
    </message>
    <message>
        <source>%1  %2 rows/s  lag %3 ms (p99 %4)  pending %5  applied %6</source>
        <translation>%1  %2 行/秒  延迟 %3 毫秒（p99 %4）  待处理 %5  已应用 %6</translation>
    </message>
    <message>
        <source>  blocks %1/%2 (%3 differed, %4 repaired)</source>
        <translation>  块 %1/%2（%3 个不一致，%4 个已修复）</translation>
    </message>
    <message>
        <source>  conflicts %1</source>
        <translation>  冲突 %1</translation>
    </message>
    <message>
        <source>%1: %2/%3 -&gt; %4 %5/%6 (%7, %8%9)</source>
        <translation>%1：%2/%3 -&gt; %4 %5/%6（模式 %7，方向 %8%9）</translation>
    </message>
    <message>
        <source>, filter: %1</source>
        <translation>，过滤条件：%1</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>输出 JSON。</translation>
    </message>
    <message>
        <source>The link&apos;s name.</source>
        <translation>链路的名称。</translation>
    </message>
    <message>
        <source>continuous, scheduled or one-shot.</source>
        <translation>continuous、scheduled 或 one-shot。</translation>
    </message>
    <message>
        <source>Minutes between verifications of a scheduled link.</source>
        <translation>scheduled 链路两次校验之间的间隔分钟数。</translation>
    </message>
    <message>
        <source>Rows per block.</source>
        <translation>每个块的行数。</translation>
    </message>
    <message>
        <source>Adaptive blocks of about MS milliseconds.</source>
        <translation>自适应分块：每个块约需 MS 毫秒。</translation>
    </message>
    <message>
        <source>md5 or sha256.</source>
        <translation>md5 或 sha256。</translation>
    </message>
    <message>
        <source>Compress what the link sends.</source>
        <translation>压缩链路发送的数据。</translation>
    </message>
    <message>
        <source>Cap in MB/s (0: none).</source>
        <translation>带宽上限，单位 MB/s（0：不限）。</translation>
    </message>
    <message>
        <source>Replicate only rows that satisfy this SQL condition.</source>
        <translation>只复制满足此 SQL 条件的行。</translation>
    </message>
    <message>
        <source>Replicate both ways.</source>
        <translation>双向复制。</translation>
    </message>
    <message>
        <source>source-wins, target-wins or newest-wins.</source>
        <translation>source-wins、target-wins 或 newest-wins。</translation>
    </message>
    <message>
        <source>The column newest-wins compares.</source>
        <translation>newest-wins 所比较的列。</translation>
    </message>
    <message>
        <source>Create the link paused.</source>
        <translation>创建链路后使其处于暂停状态。</translation>
    </message>
    <message>
        <source>no links</source>
        <translation>没有链路</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>link create needs SOURCE and TARGET</source>
        <translation>link create 需要 SOURCE 和 TARGET</translation>
    </message>
    <message>
        <source>link create needs --id NAME</source>
        <translation>link create 需要 --id NAME</translation>
    </message>
    <message>
        <source>--%1 must be a whole number, not &quot;%2&quot;</source>
        <translation>--%1 必须是整数，而不是“%2”</translation>
    </message>
    <message>
        <source>--bandwidth must be a number of MB/s, not &quot;%1&quot;</source>
        <translation>--bandwidth 必须是以 MB/s 为单位的数字，而不是“%1”</translation>
    </message>
    <message>
        <source>link list needs the node&apos;s URL</source>
        <translation>link list 需要节点的 URL</translation>
    </message>
    <message>
        <source>unknown link action &quot;%1&quot;</source>
        <translation>未知的 link 子命令“%1”</translation>
    </message>
    <message>
        <source>link %1 needs the node&apos;s URL and the link&apos;s name</source>
        <translation>link %1 需要节点的 URL 和链路的名称</translation>
    </message>
    <message>
        <source>Write inserts, updates and deletes into a table at a steady rate, as an application would.</source>
        <translation>像应用程序一样，以稳定的速率向表中写入插入、更新和删除操作。</translation>
    </message>
    <message>
        <source>Writes per second (default 100).</source>
        <translation>每秒写入次数（默认 100）。</translation>
    </message>
    <message>
        <source>Percentages insert:update:delete (default 50:40:10).</source>
        <translation>插入:更新:删除的百分比（默认 50:40:10）。</translation>
    </message>
    <message>
        <source>Random seed (default 1).</source>
        <translation>随机种子（默认 1）。</translation>
    </message>
    <message>
        <source>Print one JSON object at the end.</source>
        <translation>结束时输出一个 JSON 对象。</translation>
    </message>
    <message>
        <source>load needs exactly one LOCATION</source>
        <translation>load 需要恰好一个 LOCATION</translation>
    </message>
    <message>
        <source>--rate must be a number of writes per second from 1 to 1000000, not &quot;%1&quot;</source>
        <translation>--rate 必须是 1 到 1000000 之间的每秒写入次数，而不是“%1”</translation>
    </message>
    <message>
        <source>--seconds must be 0 or more, not &quot;%1&quot;</source>
        <translation>--seconds 必须大于或等于 0，而不是“%1”</translation>
    </message>
    <message>
        <source>--mix must be three percentages I:U:D, not &quot;%1&quot;</source>
        <translation>--mix 必须是三个百分比 I:U:D，而不是“%1”</translation>
    </message>
    <message>
        <source>--seed must be a whole number, not &quot;%1&quot;</source>
        <translation>--seed 必须是整数，而不是“%1”</translation>
    </message>
    <message>
        <source>%1 writes (%2 inserts, %3 updates, %4 deletes)</source>
        <translation>%1 次写入（%2 次插入，%3 次更新，%4 次删除）</translation>
    </message>
    <message>
        <source>%1 writes to %2: %3 inserts, %4 updates, %5 deletes</source>
        <translation>向 %2 写入 %1 次：%3 次插入，%4 次更新，%5 次删除</translation>
    </message>
    <message>
        <source>  on the wire     %1 bytes</source>
        <translation>  网络传输        %1 字节</translation>
    </message>
    <message>
        <source>Print one JSON object.</source>
        <translation>输出一个 JSON 对象。</translation>
    </message>
    <message>
        <source>%1 needs exactly one URL</source>
        <translation>%1 需要恰好一个 URL</translation>
    </message>
    <message>
        <source>cannot reach the source node: %1</source>
        <translation>无法连接源节点：%1</translation>
    </message>
    <message>
        <source>Show a node&apos;s name, version, uptime, databases and tables.</source>
        <translation>显示节点的名称、版本、运行时长、数据库和表。</translation>
    </message>
    <message>
        <source>node      %1 (%2)</source>
        <translation>节点      %1（%2）</translation>
    </message>
    <message>
        <source>software  %1, protocol %2</source>
        <translation>软件      %1，协议 %2</translation>
    </message>
    <message>
        <source>uptime    %1</source>
        <translation>运行时长  %1</translation>
    </message>
    <message>
        <source>database  %1 (%2): error: %3</source>
        <translation>数据库    %1（%2）：错误：%3</translation>
    </message>
    <message>
        <source>database  %1 (%2): %3</source>
        <translation>数据库    %1（%2）：%3</translation>
    </message>
    <message>
        <source>List the tables of a node&apos;s database.</source>
        <translation>列出节点某个数据库中的表。</translation>
    </message>
    <message>
        <source>%1 needs %2</source>
        <translation>%1 需要 %2</translation>
    </message>
    <message>
        <source>Fail a link over to its replica. Graceful (ask the primary): fence, drain, promote, reverse the link; no acknowledged write is lost. Forced (--force, ask the replica): when the primary is unreachable.</source>
        <translation>将链路故障转移到其副本。平滑方式（向主节点发起）：隔离、排空、提升、反转链路；不会丢失任何已确认的写入。强制方式（--force，向副本发起）：用于主节点不可达时。</translation>
    </message>
    <message>
        <source>The data center to promote.</source>
        <translation>要提升的数据中心。</translation>
    </message>
    <message>
        <source>The primary is unreachable: promote the replica anyway.</source>
        <translation>主节点不可达：仍然提升副本。</translation>
    </message>
    <message>
        <source>failover needs --to DC</source>
        <translation>failover 需要 --to DC</translation>
    </message>
    <message>
        <source>Link %1: %2 is primary (epoch %3), %4 is its replica; took %5 ms.</source>
        <translation>链路 %1：%2 是主节点（纪元 %3），%4 是其副本；耗时 %5 毫秒。</translation>
    </message>
    <message>
        <source>Acknowledge an automatic failover, so that another may happen.</source>
        <translation>确认一次自动故障转移，以便允许再次自动故障转移。</translation>
    </message>
    <message>
        <source>Automatic failover is armed again.</source>
        <translation>自动故障转移已重新启用。</translation>
    </message>
    <message>
        <source>Show how a node sees its peers: last heartbeat, round trip, state.</source>
        <translation>显示节点所见的对端情况：最近一次心跳、往返时间、状态。</translation>
    </message>
    <message>
        <source>no peers (no links)</source>
        <translation>无对端（没有链路）</translation>
    </message>
    <message>
        <source>%1 (%2, %3 of link %4): %5, last seen %6 ms ago, round trip %7 ms</source>
        <translation>%1（%2，链路 %4，角色 %3）：%5，最近一次联系在 %6 毫秒前，往返 %7 毫秒</translation>
    </message>
    <message>
        <source>Show a node&apos;s latest events.</source>
        <translation>显示节点的最新事件。</translation>
    </message>
    <message>
        <source>How many (default 50).</source>
        <translation>显示的条数（默认 50）。</translation>
    </message>
    <message>
        <source>--count must be a whole number from 1 to 5000, not &quot;%1&quot;</source>
        <translation>--count 必须是 1 到 5000 之间的整数，而不是“%1”</translation>
    </message>
    <message>
        <source>Promote the replica when the primary is down and the witness agrees.</source>
        <translation>当主节点宕机且见证节点确认时，提升副本。</translation>
    </message>
    <message>
        <source>Milliseconds without heartbeat before automatic failover (default 5000, at least 1000).</source>
        <translation>没有心跳多少毫秒后进行自动故障转移（默认 5000，至少 1000）。</translation>
    </message>
    <message>
        <source>The witness node that must also find the primary down.</source>
        <translation>见证节点，它也必须确认主节点已宕机。</translation>
    </message>
    <message>
        <source>How long, in seconds (default 10; 0 runs until interrupted).</source>
        <translation>持续时间，单位为秒（默认 10；0 表示一直运行直到被中断）。</translation>
    </message>
    <message>
        <source>Usage: ferryctl certs init DIR [--days N]
       ferryctl certs issue DIR NAME [--role ROLE] [--days N] [--dns NAME]... [--ip ADDR]...

  init   Create the deployment CA for mutual TLS: DIR/ca.crt and DIR/ca.key.
  issue  Issue DIR/NAME.crt and DIR/NAME.key for a node or console, signed by
         the CA in DIR.

Existing files are never overwritten. Run &apos;ferryctl certs init --help&apos; or
&apos;ferryctl certs issue --help&apos; for the options.
</source>
        <translation>用法：ferryctl certs init DIR [--days N]
      ferryctl certs issue DIR NAME [--role ROLE] [--days N] [--dns NAME]... [--ip ADDR]...

  init   为双向 TLS 创建部署 CA：DIR/ca.crt 和 DIR/ca.key。
  issue  为节点或控制台签发 DIR/NAME.crt 和 DIR/NAME.key，由 DIR 中的
         CA 签名。

已有文件绝不会被覆盖。运行“ferryctl certs init --help”或
“ferryctl certs issue --help”查看选项。
</translation>
    </message>
    <message>
        <source>What the holder may do: node (a ferry-node), admin (everything), operator (pause, resume, verify, graceful failover), viewer (read only). Without it the certificate can only read.</source>
        <translation>持有者可以做什么：node（ferry-node 节点）、admin（全部操作）、operator（暂停、恢复、校验、平滑故障转移）、viewer（只读）。不指定时，证书只能读取。</translation>
    </message>
    <message>
        <source>--role: &quot;%1&quot; is not a role (node, admin, operator or viewer)</source>
        <translation>--role：“%1”不是有效的角色（node、admin、operator 或 viewer）</translation>
    </message>
    <message>
        <source>  role: none (reads only, as a viewer)</source>
        <translation>  角色：无（只读，等同 viewer）</translation>
    </message>
    <message>
        <source>  role: %1</source>
        <translation>  角色：%1</translation>
    </message>
    <message>
        <source>Recovery point: at least %1 changes written on %2 between %3 and %4 may be lost (%2&apos;s write lease lapsed at %4); they are kept in %2&apos;s conflicts table when it returns.</source>
        <translation>恢复点：%2 在 %3 至 %4 之间写入的至少 %1 个变更可能丢失（%2 的写租约于 %4 失效）；它恢复后这些变更会保留在 %2 的冲突表中。</translation>
    </message>
    <message>
        <source>Recovery point: at least %1 changes written on %2 since %3 may be lost (%2 had no write lease: it takes writes until it learns of the new epoch); they are kept in %2&apos;s conflicts table when it returns.</source>
        <translation>恢复点：%2 自 %3 起写入的至少 %1 个变更可能丢失（%2 没有写租约：在得知新纪元之前它仍会接受写入）；它恢复后这些变更会保留在 %2 的冲突表中。</translation>
    </message>
    <message>
        <source>  error since %1: %2</source>
        <translation>  自 %1 起出错：%2</translation>
    </message>
    <message>
        <source>  errors %1, last at %2: %3</source>
        <translation>  错误 %1 次，最近一次于 %2：%3</translation>
    </message>
    <message>
        <source>link set: stop compressing what the link sends.</source>
        <translation>link set：不再压缩链路发送的数据。</translation>
    </message>
    <message>
        <source>link set: turn automatic failover off.</source>
        <translation>link set：关闭自动故障转移。</translation>
    </message>
    <message>
        <source>link set needs the node&apos;s URL and the link&apos;s name</source>
        <translation>link set 需要节点的 URL 和链路名称</translation>
    </message>
    <message>
        <source>--%1 cannot be changed by link set</source>
        <translation>--%1 不能通过 link set 修改</translation>
    </message>
    <message>
        <source>--compress and --no-compress contradict each other</source>
        <translation>--compress 与 --no-compress 相互矛盾</translation>
    </message>
    <message>
        <source>--auto-failover and --no-auto-failover contradict each other</source>
        <translation>--auto-failover 与 --no-auto-failover 相互矛盾</translation>
    </message>
    <message>
        <source>link set needs at least one setting (see ferryctl link --help)</source>
        <translation>link set 至少需要一个设置（参见 ferryctl link --help）</translation>
    </message>
    <message>
        <source>Forced failover of link %1: %2 becomes primary in epoch %3 without %4.</source>
        <translation>链路 %1 的强制故障转移：%2 在纪元 %3 中成为主节点，不经过 %4。</translation>
    </message>
    <message>
        <source>Graceful failover of link %1: %2 becomes primary in epoch %3, %4 its replica.</source>
        <translation>链路 %1 的平滑故障转移：%2 在纪元 %3 中成为主节点，%4 成为其副本。</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>已拒绝：%1</translation>
    </message>
    <message>
        <source>Recovery point: at least %1 changes may be lost; %2 last heard from %3 at %4.</source>
        <translation>恢复点：至少 %1 个更改可能丢失；%2 最后一次收到 %3 的消息是在 %4。</translation>
    </message>
    <message>
        <source>Links it touches (%1):</source>
        <translation>涉及的链路（%1 条）：</translation>
    </message>
    <message>
        <source>Not known: %1</source>
        <translation>未知：%1</translation>
    </message>
    <message>
        <source>Only show what the failover would do, to every link it touches; change nothing.</source>
        <translation>只显示故障转移对涉及的每条链路会做什么；不做任何更改。</translation>
    </message>
    <message>
        <source>Usage: ferryctl COMMAND [ARGUMENTS]

Commands:
  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
          [--digest md5|sha256] [--json]
      Compare a table in two databases block by block; with --repair make
      the target identical. Exit 0 identical, 1 different, 2 error.
      SOURCE and TARGET are sqlite:, postgresql:// or ferry:// URLs; between
      two ferry:// nodes the source node runs it and rows go node to node.
  status ferry://HOST:PORT
      A node&apos;s name, version, uptime, databases and tables.
  tables ferry://HOST:PORT/DB
      The tables of one of a node&apos;s databases.
  link create|list|show|pause|resume|verify|resync|remove ...
      Replication links, run by their source node (&apos;ferryctl link --help&apos;).
  failover ferry://HOST:PORT LINK --to DC [--force] [--plan]
      Graceful failover (asked of the primary) or forced (of the replica);
      --plan: what it would do to every link it touches, changing nothing.
  failover-ack ferry://HOST:PORT LINK
      Re-arm automatic failover after one happened.
  health ferry://HOST:PORT     Heartbeats: how a node sees its peers.
  events ferry://HOST:PORT     The node&apos;s latest events.
  load LOCATION [--rate N] [--seconds S] [--mix I:U:D]
      Write a steady insert/update/delete workload into a table.
  certs init DIR [--days N]
      Create the deployment CA for mutual TLS (DIR/ca.crt, DIR/ca.key).
  certs issue DIR NAME [--role ROLE] [--days N] [--dns NAME]... [--ip ADDR]...
      Issue DIR/NAME.crt and DIR/NAME.key for a node or console, signed by
      the CA in DIR.

Commands that reach a node take --ca FILE --cert FILE --key FILE, or
--profile FILE, or use $FERRY_PROFILE or ~/.config/ferry/client.json.
Run &apos;ferryctl COMMAND --help&apos; for the options of a command.
</source>
        <translation>用法：ferryctl 命令 [参数]

命令：
  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
          [--digest md5|sha256] [--json]
      逐块比较两个数据库中的同一张表；使用 --repair 时使目标端与源端
      完全一致。退出码：0 一致，1 不一致，2 出错。
      SOURCE 和 TARGET 为 sqlite:、postgresql:// 或 ferry:// URL；两端都是
      ferry:// 节点时，由源节点执行比较，行数据直接在节点之间传输。
  status ferry://HOST:PORT
      节点的名称、版本、运行时长、数据库和表。
  tables ferry://HOST:PORT/DB
      节点某个数据库中的表。
  link create|list|show|pause|resume|verify|resync|remove ...
      复制链路，由其源节点运行（参见“ferryctl link --help”）。
  failover ferry://HOST:PORT LINK --to DC [--force] [--plan]
      平滑故障转移（向主节点发起）或强制故障转移（向副本发起）；
      --plan：列出它对涉及的每条链路会做什么，不做任何更改。
  failover-ack ferry://HOST:PORT LINK
      发生自动故障转移后，重新启用自动故障转移。
  health ferry://HOST:PORT     心跳：节点所见的对端情况。
  events ferry://HOST:PORT     节点的最新事件。
  load LOCATION [--rate N] [--seconds S] [--mix I:U:D]
      以稳定的速率向表中写入插入/更新/删除负载。
  certs init DIR [--days N]
      为双向 TLS 创建部署 CA（DIR/ca.crt、DIR/ca.key）。
  certs issue DIR NAME [--role ROLE] [--days N] [--dns NAME]... [--ip ADDR]...
      为节点或控制台签发 DIR/NAME.crt 和 DIR/NAME.key，由 DIR 中的
      CA 签名。

需要连接节点的命令接受 --ca FILE --cert FILE --key FILE 或
--profile FILE，也可使用 $FERRY_PROFILE 或 ~/.config/ferry/client.json。
运行“ferryctl 命令 --help”查看某个命令的选项。
</translation>
    </message>
    <message>
        <source>Without --repair: list at most N differing keys (default 100, 0 lists none); all are counted.</source>
        <translation>不带 --repair 时：最多列出 N 个不同的键（默认 100，0 表示不列出）；全部都会计数。</translation>
    </message>
    <message>
        <source>--keys must be a whole number from 0 to 100000, not &quot;%1&quot;</source>
        <translation>--keys 必须是 0 到 100000 之间的整数，而不是“%1”</translation>
    </message>
    <message>
        <source>  differing keys  %1 missing on the target, %2 extra on the target, %3 with other values</source>
        <translation>  不同的键      目标缺少 %1 个，目标多出 %2 个，%3 个值不同</translation>
    </message>
    <message>
        <source>    block %1  %2  %3</source>
        <translation>    块 %1  %2  %3</translation>
    </message>
    <message>
        <source>    (%1 listed; --keys N lists more)</source>
        <translation>    （已列出 %1 个；--keys N 可列出更多）</translation>
    </message>
    <message>
        <source>  slot keeps %1 MB of WAL</source>
        <translation>  复制槽保留 %1 MB WAL</translation>
    </message>
    <message>
        <source>cannot allow the repair on the target node: %1</source>
        <translation>无法在目标节点上允许修复：%1</translation>
    </message>
    <message>
        <source>Usage: ferryctl link create SOURCE TARGET --id NAME [settings]
       ferryctl link list ferry://HOST:PORT
       ferryctl link show|pause|resume|verify|resync|remove ferry://HOST:PORT NAME
       ferryctl link set ferry://HOST:PORT NAME SETTING... (changes settings in place)

SOURCE and TARGET are ferry://HOST:PORT/DB?table=NAME; the source node runs the link
(TARGET&apos;s address must be reachable from the source node). Without ?table= on both, the
link replicates the database: every table (with a primary key) that --tables matches,
also those created later, each to the table of the same name.
  --tables PATTERN,...                   database link: names, &apos;*&apos; for any (default *)
  --on-drop keep|drop                    database link: a table dropped on the source is
                                         kept on the target (default) or dropped there
link verify and link resync take --table NAME for one table of a database link.
Settings:
  --mode continuous|scheduled|one-shot   (default continuous)
  --interval MINUTES                     scheduled links: verify this often (60)
  --block-rows N | --block-time MS       block size (1000 rows)
  --digest md5|sha256  --compress  --bandwidth MB/S  --filter SQL-CONDITION
  --bidirectional  --conflicts source-wins|target-wins|newest-wins
  --timestamp-column NAME  --paused
  --auto-failover --witness HOST:PORT [--failover-timeout MS]
link set also takes --no-compress and --no-auto-failover, and --filter &apos;&apos; for every row.
link resync continues a link stopped by a schema change once both tables have the same
columns again: it verifies the whole table, then streams.
All take --json and the client certificate options (--ca/--cert/--key or --profile).
</source>
        <translation>用法：ferryctl link create SOURCE TARGET --id NAME [设置]
      ferryctl link list ferry://HOST:PORT
      ferryctl link show|pause|resume|verify|resync|remove ferry://HOST:PORT NAME
      ferryctl link set ferry://HOST:PORT NAME 设置...（就地修改设置）

SOURCE 和 TARGET 的格式为 ferry://HOST:PORT/DB?table=NAME；链路由源节点运行
（源节点必须能访问 TARGET 的地址）。两者都不带 ?table= 时，链路复制整个数据库：
--tables 匹配的每张（有主键的）表，包括之后创建的表，各自复制到同名表。
  --tables PATTERN,...                   数据库链路：表名，&apos;*&apos; 表示任意（默认 *）
  --on-drop keep|drop                    数据库链路：源上删除的表在目标上
                                         保留（默认）或一并删除
link verify 和 link resync 接受 --table NAME，作用于数据库链路中的一张表。
设置：
  --mode continuous|scheduled|one-shot   （默认 continuous）
  --interval MINUTES                     scheduled 链路：校验间隔分钟数（60）
  --block-rows N | --block-time MS       块大小（1000 行）
  --digest md5|sha256  --compress  --bandwidth MB/S  --filter SQL-CONDITION
  --bidirectional  --conflicts source-wins|target-wins|newest-wins
  --timestamp-column NAME  --paused
  --auto-failover --witness HOST:PORT [--failover-timeout MS]
link set 还接受 --no-compress 和 --no-auto-failover，--filter &apos;&apos; 表示所有行。
link resync 用于继续因表结构变更而停止的链路：两张表的列再次一致后，
先校验整张表，然后继续流式复制。
所有子命令都接受 --json 和客户端证书选项（--ca/--cert/--key 或 --profile）。
</translation>
    </message>
    <message>
        <source>%1: database %2 -&gt; %3 %4, tables %5 (%6, on drop: %7)</source>
        <translation>%1：数据库 %2 -&gt; %3 %4，表 %5（%6，删除时：%7）</translation>
    </message>
    <message>
        <source>TABLE</source>
        <translation>表</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>PENDING</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>LAG MS</source>
        <translation>延迟毫秒</translation>
    </message>
    <message>
        <source>BLOCKS</source>
        <translation>块</translation>
    </message>
    <message>
        <source>LAST ERROR</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>    skipped %1: %2</source>
        <translation>    已跳过 %1：%2</translation>
    </message>
    <message>
        <source>    dropped on the source: %1</source>
        <translation>    源上已删除：%1</translation>
    </message>
    <message>
        <source>Database link: the tables, as names or patterns with * (default *).</source>
        <translation>数据库链路：表名或含 * 的模式（默认 *）。</translation>
    </message>
    <message>
        <source>Database link: keep or drop on the target a table dropped on the source (default keep).</source>
        <translation>数据库链路：源上删除的表在目标上保留或删除（默认保留）。</translation>
    </message>
    <message>
        <source>link verify/resync: one table of a database link.</source>
        <translation>link verify/resync：数据库链路中的一张表。</translation>
    </message>
    <message>
        <source>link create: give ?table= on both SOURCE and TARGET (a table), or on neither (the database)</source>
        <translation>link create：在 SOURCE 和 TARGET 上都给出 ?table=（单张表），或都不给出（整个数据库）</translation>
    </message>
    <message>
        <source>--tables and --on-drop are for a database link (SOURCE and TARGET without ?table=)</source>
        <translation>--tables 和 --on-drop 用于数据库链路（SOURCE 和 TARGET 不带 ?table=）</translation>
    </message>
    <message>
        <source>--table is for link verify and link resync</source>
        <translation>--table 用于 link verify 和 link resync</translation>
    </message>
    <message>
        <source>A database link: its %1 tables fail over as one (one fence, one drain, one promotion).</source>
        <translation>数据库链路：其 %1 个表作为一个整体切换（一次隔离、一次排空、一次提升）。</translation>
    </message>
</context>
</TS>
